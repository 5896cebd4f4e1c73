public enum FulcrumLendingModule {}
