namespace Gate.Sandbox;

public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "0Gate sandbox");
        app.Run();
    }
}
