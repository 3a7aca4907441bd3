namespace Gate.Sandbox;

/// <summary>Standalone entry point: <c>dotnet run --project src/Gate.Sandbox</c> (http://localhost:5081).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var app = SandboxApp.Build(new SandboxHostOptions { UseDefaultConfigurationSources = true, Args = args });
        app.Run();
    }
}
