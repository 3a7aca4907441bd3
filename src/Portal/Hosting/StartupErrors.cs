using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Portal.Core;

namespace Portal.Hosting;

/// <summary>
/// A portal that cannot start because of its configuration says so in one line per problem on stderr, naming
/// the key (<c>portal: cannot start: Gate:SecretKey is required …</c>), and exits with
/// <see cref="ConfigurationErrorExitCode"/>: no "Unhandled exception", no stack trace. Only configuration errors
/// are caught (options validation, <see cref="InvalidConfigurationException"/> from the guards, a value the
/// configuration binder cannot convert, a listening address already in use); anything else is a bug and surfaces as
/// the runtime reports it.
/// </summary>
public static partial class StartupErrors
{
    /// <summary><c>EX_CONFIG</c> from sysexits.h: the process was started with a configuration it cannot run with.</summary>
    public const int ConfigurationErrorExitCode = 78;

    public const string Prefix = "portal: cannot start: ";

    /// <summary>
    /// Runs the portal; returns 0 when it stops normally, or reports configuration errors and returns
    /// <see cref="ConfigurationErrorExitCode"/>. When another program hosts <c>Program</c>
    /// (<c>WebApplicationFactory</c> in the tests), that program owns the process and gets the exception unchanged.
    /// </summary>
    public static int ReportConfigurationErrors(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ReportConfigurationErrors(() =>
        {
            run();
            return 0;
        });
    }

    /// <summary>As <see cref="ReportConfigurationErrors(Action)"/>, for a run that returns its own exit status (a command).</summary>
    public static int ReportConfigurationErrors(Func<int> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return run();
        }
        catch (Exception error) when (OwnsProcess() && Problems(error) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(Prefix + problem);
            }

            return ConfigurationErrorExitCode;
        }
    }

    /// <summary>
    /// One message per configuration problem in <paramref name="error"/>, each naming its key; empty when
    /// <paramref name="error"/> is (or contains) anything other than a configuration error.
    /// </summary>
    public static IReadOnlyList<string> Problems(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error)
        {
            case OptionsValidationException options:
                return [.. options.Failures.Select(WithoutDataAnnotationsPreamble)];
            case InvalidConfigurationException configuration:
                return [configuration.Message];
            case InvalidOperationException { InnerException: not null, TargetSite.DeclaringType: var thrower } when thrower == typeof(ConfigurationBinder):
                // "Failed to convert configuration value 'maybe' at 'Sandbox:Enabled' to type 'System.Boolean'." Only
                // typed values (flags, numbers, URLs) fail to convert; secrets are strings and never end up here.
                return [error.Message];
            case IOException { InnerException: AddressInUseException }:
                // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
                return [$"Urls: {error.Message} Stop the other process or choose another address in Urls."];
            case AggregateException aggregate:
                var problems = aggregate.InnerExceptions.Select(Problems).ToList();
                return problems.All(p => p.Count > 0) ? [.. problems.SelectMany(p => p)] : [];
            default:
                return [];
        }
    }

    /// <summary>
    /// Leaves out the host's own "Hosting failed to start" log (and the rest of its Error level): its exception always
    /// propagates out of <c>Run</c>, to be reported here in one line or by the runtime in full, so it would only repeat
    /// it with a stack trace. A crashed background service is still logged, at Critical, as the host stops.
    /// </summary>
    public static WebApplicationBuilder AddStartupErrorReporting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    /// <summary>True when Portal is the program the process was started with (<c>dotnet Portal.dll</c>, <c>dotnet run</c>).</summary>
    private static bool OwnsProcess() => Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly;

    /// <summary>
    /// <c>ValidateDataAnnotations</c> wraps each message ("DataAnnotation validation failed for 'GateOptions' members:
    /// 'ApiBaseUrl' with the error: '…'."); the message itself already names the key.
    /// </summary>
    private static string WithoutDataAnnotationsPreamble(string failure) =>
        DataAnnotationsFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationsFailure();
}
