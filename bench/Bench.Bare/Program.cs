using Bench.Bare;

var builder = WebApplication.CreateBuilder(args);

builder.AddBareEventStore();

var app = builder.Build();

app.MapBareWebhook();
app.MapConstantStatus();
app.MapGet("/readyz", () => TypedResults.Ok("ready"));

app.Run();
