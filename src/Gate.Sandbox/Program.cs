var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "0Gate sandbox");
app.Run();
