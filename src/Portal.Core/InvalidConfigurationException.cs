namespace Portal.Core;

/// <summary>
/// A configuration value that stops the portal from starting. The message names the key at fault and never
/// its value (values may be secrets). The host prints it as one line instead of a stack trace.
/// </summary>
public sealed class InvalidConfigurationException : InvalidOperationException
{
    public InvalidConfigurationException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    public InvalidConfigurationException(string key, string message, Exception innerException)
        : base(message, innerException)
    {
        Key = key;
    }

    /// <summary>The configuration key at fault, e.g. <c>ConnectionStrings:Portal</c>.</summary>
    public string Key { get; }
}
