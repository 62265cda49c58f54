public enum _SandboxPlaceholder {}
