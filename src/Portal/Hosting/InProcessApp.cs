namespace Portal.Hosting;

/// <summary>
/// A stand-in web app (the 0Gate sandbox, the dev OpenID provider) that starts before the portal serves
/// requests and stops with it.
/// </summary>
internal abstract class InProcessApp : IHostedService, IAsyncDisposable
{
    protected WebApplication? App { get; private set; }

    protected abstract WebApplication Build();

    protected virtual void OnStarted(WebApplication app)
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        App = Build();
        await App.StartAsync(cancellationToken);
        OnStarted(App);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (App is not null)
        {
            await App.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
            App = null;
        }

        GC.SuppressFinalize(this);
    }
}
