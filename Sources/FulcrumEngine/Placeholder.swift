public enum FulcrumEngineModule {}
