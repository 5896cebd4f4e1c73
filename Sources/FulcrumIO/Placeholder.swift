public enum FulcrumIOModule {}
