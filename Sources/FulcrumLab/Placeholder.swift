public enum FulcrumLabModule {}
