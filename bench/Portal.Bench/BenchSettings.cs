using System.Globalization;
using Portal.Core.Persistence;

namespace Portal.Bench;

/// <summary>
/// What to run and for how long. Every knob has a default sized so the whole run fits in about ten minutes on a
/// two-core machine; <c>--quick</c> picks a smoke-test size. A knob is set with <c>--name value</c> on the command
/// line or <c>BENCH_NAME</c> in the environment (e.g. <c>--b1-open-seconds 30</c>, <c>BENCH_B1_OPEN_SECONDS=30</c>).
/// <para>
/// The PostgreSQL pass (B1–B3 again, the portal on <c>Store:Provider=PostgreSql</c>) reads the same knobs, except
/// where a knob has a PostgreSQL value of its own (shorter steps, so both passes fit in the time budget): that one is
/// set with <c>--pg-name value</c> / <c>BENCH_PG_NAME</c>. A knob set without the <c>pg-</c> prefix applies to both
/// passes unless its <c>pg-</c> form is set too.
/// </para>
/// </summary>
public sealed class BenchSettings
{
    public static readonly string[] AllScenarios = ["B1", "B2", "B3", "B4", "B5"];

    /// <summary>The scenarios that run a second time on PostgreSQL.</summary>
    public static readonly string[] PostgresScenarios = ["B1", "B2", "B3"];

    private const string ProvidersKnob = "providers";

    private static readonly Knob[] Knobs =
    [
        new(ProvidersKnob, "sqlite,postgresql", "sqlite,postgresql", "stores to run on: sqlite (every scenario) and postgresql (B1-B3 again; needs PGHOST, which ./bench.sh provides); --no-postgres = sqlite"),
        new("rounds", "3", "1", "alternations of baseline and portal for each comparison (medians are reported)"),
        new("warmup-seconds", "3", "1", "closed-loop warm-up of each app before its first measurement", Pg: "2"),
        new("b1-concurrency", "1,8,32,64", "1,8,32,64", "closed-loop sender counts"),
        new("b1-seconds", "3", "1.5", "length of one closed-loop measurement", Pg: "1.5", PgQuick: "1"),
        new("b1-max-requests", "4000", "1500", "cap of one closed-loop measurement (bounds the attempts to seed)"),
        new("b1-open-rate", "500", "500", "open-loop deliveries per second"),
        new("b1-open-seconds", "60", "8", "open-loop length", Pg: "60", PgQuick: "5"),
        new("statements-deliveries", "200", "200", "PostgreSQL pass, after B1: fulfilled deliveries whose statements (receipt job included) are counted in the server's log"),
        new("statements-senders", "8", "8", "concurrent senders of those deliveries"),
        new("b2-events", "1000", "200", "distinct event ids (each closes one attempt)", Pg: "300", PgQuick: "100"),
        new("b2-copies", "10", "10", "deliveries of each event id"),
        new("b2-concurrency", "50", "50", "concurrent senders"),
        new("b3-customers", "1000", "200", "signed-in customers polling their own attempt", PgQuick: "100"),
        new("b3-poll-seconds", "3", "3", "each customer's polling period"),
        new("b3-seconds", "24", "9", "open-loop polling length", Pg: "12", PgQuick: "6"),
        new("b3-webhook-rate", "100", "100", "webhook deliveries per second during the polling"),
        new("b3-concurrency", "32", "32", "closed-loop senders for the status-endpoint throughput"),
        new("b3-closed-seconds", "4", "1.5", "length of one closed-loop status measurement", Pg: "2", PgQuick: "1"),
        new("b4-circuits", "200", "20", "open outcome pages (circuits) per app"),
        new("b4-pages-per-browser", "50", "20", "pages per Chromium instance (one context, a host name per page; at most 60)"),
        new("b4-parallel-loads", "4", "4", "pages loading at once"),
        new("b4-leave", "navigate", "navigate", "how the pages go: navigate (away, Blazor's unload beacon ends each circuit) or vanish (browsers closed, circuits disconnected)"),
        new("b4-return-seconds", "45", "20", "how long to wait for the heap to return after the pages close"),
        new("b5-starts", "200", "40", "checkout starts per arm (portal, direct)"),
    ];

    private Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> _postgresValues = new(StringComparer.OrdinalIgnoreCase);

    public required string PortalApp { get; init; }
    public required string SandboxApp { get; init; }
    public required string BareApp { get; init; }
    public required string EmptyBlazorApp { get; init; }
    public required string DataDirectory { get; init; }
    public string? ReportFile { get; init; }
    public string Chromium { get; init; } = "/usr/bin/chromium";
    public bool Quick { get; init; }
    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(AllScenarios);

    /// <summary>The store this pass runs the portal (and the bare endpoint) on.</summary>
    public StoreProvider Store { get; private init; } = StoreProvider.Sqlite;

    /// <summary>The stores asked for (<c>--providers</c>), in run order: SQLite first.</summary>
    public IReadOnlyList<StoreProvider> Providers => [.. Text(ProvidersKnob).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.ToUpperInvariant() switch
        {
            "SQLITE" => StoreProvider.Sqlite,
            "POSTGRESQL" or "POSTGRES" or "PG" => StoreProvider.PostgreSql,
            _ => throw new ArgumentException($"--{ProvidersKnob} lists sqlite and/or postgresql, not '{p}'."),
        }).Distinct().Order()];

    /// <summary>The scenarios a pass on <paramref name="store"/> runs: everything asked for on SQLite, B1–B3 of it on PostgreSQL.</summary>
    public IReadOnlyList<string> ScenariosOn(StoreProvider store) =>
        Providers.Contains(store) ? [.. Scenarios.Where(s => store == StoreProvider.Sqlite || PostgresScenarios.Contains(s)).Order()] : [];

    /// <summary>These settings as the pass on <paramref name="store"/> reads them (PostgreSQL: its own values where a knob has one).</summary>
    public BenchSettings For(StoreProvider store) => store == Store ? this : With(store, store == StoreProvider.PostgreSql ? _postgresValues : _values);

    private BenchSettings With(StoreProvider store, Dictionary<string, string> values) => new()
    {
        PortalApp = PortalApp,
        SandboxApp = SandboxApp,
        BareApp = BareApp,
        EmptyBlazorApp = EmptyBlazorApp,
        DataDirectory = DataDirectory,
        ReportFile = ReportFile,
        Chromium = Chromium,
        Quick = Quick,
        Scenarios = new HashSet<string>(ScenariosOn(store)),
        Store = store,
        _values = values,
        _postgresValues = _postgresValues,
    };

    public int Rounds => Int("rounds");
    public TimeSpan Warmup => Seconds("warmup-seconds");
    public IReadOnlyList<int> B1Concurrency => [.. Text("b1-concurrency").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
    public TimeSpan B1Duration => Seconds("b1-seconds");
    public int B1MaxRequests => Int("b1-max-requests");
    public double B1OpenRate => Number("b1-open-rate");
    public TimeSpan B1OpenDuration => Seconds("b1-open-seconds");
    public int StatementDeliveries => Int("statements-deliveries");
    public int StatementSenders => Int("statements-senders");
    public int B2Events => Int("b2-events");
    public int B2Copies => Int("b2-copies");
    public int B2Concurrency => Int("b2-concurrency");
    public int B3Customers => Int("b3-customers");
    public TimeSpan B3PollPeriod => Seconds("b3-poll-seconds");
    public TimeSpan B3Duration => Seconds("b3-seconds");
    public double B3WebhookRate => Number("b3-webhook-rate");
    public int B3Concurrency => Int("b3-concurrency");
    public TimeSpan B3ClosedDuration => Seconds("b3-closed-seconds");
    public int B4Circuits => Int("b4-circuits");
    public int B4PagesPerBrowser => Int("b4-pages-per-browser");
    public int B4ParallelLoads => Int("b4-parallel-loads");
    /// <summary>True: the browsers just close, so the server keeps the circuits as disconnected until its retention ends.</summary>
    public bool B4Vanish => Text("b4-leave") switch
    {
        "navigate" => false,
        "vanish" => true,
        var other => throw new ArgumentException($"--b4-leave must be navigate or vanish, not '{other}'."),
    };

    public TimeSpan B4ReturnTimeout => Seconds("b4-return-seconds");
    public int B5Starts => Int("b5-starts");

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>Every knob and its value, for the report header.</summary>
    public string Describe() => string.Join(' ', Knobs.Select(k => $"{k.Name}={Text(k.Name)}"));

    /// <summary>The knobs the PostgreSQL pass reads differently from the SQLite pass, for the report header.</summary>
    public string DescribePostgresDifferences() =>
        string.Join(' ', Knobs.Where(k => k.Name != ProvidersKnob && _postgresValues[k.Name] != _values[k.Name]).Select(k => $"{k.Name}={_postgresValues[k.Name]}"));

    public static string Usage() =>
        "Usage: Portal.Bench --portal-app DIR --sandbox-app DIR --bare-app DIR --empty-blazor-app DIR --data DIR [--report FILE]\n" +
        "                    [--chromium PATH] [--quick] [--no-postgres] [B1 B2 B3 B4 B5] [--<knob> VALUE ...] [--pg-<knob> VALUE ...]\n\n" +
        "Knobs (default / --quick), also as BENCH_<KNOB> environment variables:\n" +
        string.Join('\n', Knobs.Select(k => $"  --{k.Name,-22} {k.Default,-10} / {k.Quick,-10} {k.Help}")) +
        "\n\nThe PostgreSQL pass (B1-B3 with the portal on Store:Provider=PostgreSql, --providers ...postgresql) reads the same\n" +
        "knobs except these, which have shorter values of their own so both passes fit in the time budget; set them with\n" +
        "--pg-<knob> VALUE or BENCH_PG_<KNOB> (a knob set without pg- applies to both passes unless its pg- form is set too):\n" +
        string.Join('\n', Knobs.Where(k => k.Pg is not null || k.PgQuick is not null)
            .Select(k => $"  --pg-{k.Name,-19} {k.Pg ?? k.Default,-10} / {k.PgQuick ?? k.Quick,-10}"));

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var scenarios = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
            {
                quick = true;
            }
            else if (arg == "--no-postgres")
            {
                options[ProvidersKnob] = "sqlite";
            }
            else if (AllScenarios.Contains(arg, StringComparer.OrdinalIgnoreCase))
            {
                scenarios.Add(arg.ToUpperInvariant());
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                options[arg[2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown argument '{arg}'.\n\n{Usage()}");
            }
        }

        string Required(string name) => options.Remove(name, out var value)
            ? Path.GetFullPath(value)
            : throw new ArgumentException($"--{name} is required.\n\n{Usage()}");

        var settings = new BenchSettings
        {
            PortalApp = Required("portal-app"),
            SandboxApp = Required("sandbox-app"),
            BareApp = Required("bare-app"),
            EmptyBlazorApp = Required("empty-blazor-app"),
            DataDirectory = Required("data"),
            ReportFile = options.Remove("report", out var report) ? Path.GetFullPath(report) : null,
            Chromium = options.Remove("chromium", out var chromium) ? chromium : "/usr/bin/chromium",
            Quick = quick,
            Scenarios = scenarios.Count > 0 ? scenarios : new HashSet<string>(AllScenarios),
        };

        foreach (var knob in Knobs)
        {
            var variable = "BENCH_" + knob.Name.Replace('-', '_').ToUpperInvariant();
            string? given = options.Remove(knob.Name, out var value) ? value
                : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
                : null;
            settings._values[knob.Name] = given ?? (quick ? knob.Quick : knob.Default);
            var pgVariable = "BENCH_PG_" + knob.Name.Replace('-', '_').ToUpperInvariant();
            settings._postgresValues[knob.Name] = knob.Name != ProvidersKnob && options.Remove("pg-" + knob.Name, out var pgValue) ? pgValue
                : knob.Name != ProvidersKnob && Environment.GetEnvironmentVariable(pgVariable) is { Length: > 0 } pgFromEnvironment ? pgFromEnvironment
                : given ?? (quick ? knob.PgQuick ?? knob.Quick : knob.Pg ?? knob.Default);
        }

        if (options.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{options.Keys.First()}.\n\n{Usage()}");
        }

        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (Providers.Count == 0)
        {
            throw new ArgumentException($"--{ProvidersKnob} must name at least one store: sqlite, postgresql or sqlite,postgresql.");
        }

        if (Providers.All(p => ScenariosOn(p).Count == 0))
        {
            throw new ArgumentException($"Nothing to run: {string.Join(' ', Scenarios.Order())} on {Text(ProvidersKnob)} (B4 and B5 run on SQLite only).");
        }

        foreach (var (values, prefix) in new[] { (_values, ""), (_postgresValues, "pg-") })
        {
            var view = With(Store, values);
            _ = view.B4Vanish;
            foreach (var knob in Knobs.Where(k => k.Name is not ("b1-concurrency" or "b4-leave" or ProvidersKnob)))
            {
                if (!double.TryParse(values[knob.Name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
                {
                    throw new ArgumentException($"--{prefix}{knob.Name} must be a positive number, not '{values[knob.Name]}'.");
                }
            }

            if (view.B1Concurrency.Count == 0 || view.B1Concurrency.Any(c => c <= 0))
            {
                throw new ArgumentException($"--{prefix}b1-concurrency must list positive sender counts, e.g. 1,8,32,64.");
            }
        }
    }

    private string Text(string name) => _values[name];

    private int Int(string name) => (int)Math.Round(Number(name));

    private double Number(string name) => double.Parse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture);

    private TimeSpan Seconds(string name) => TimeSpan.FromSeconds(Number(name));

    /// <param name="Pg">The PostgreSQL pass's default, when it differs (null: the same as <paramref name="Default"/>).</param>
    /// <param name="PgQuick">The PostgreSQL pass's --quick value, when it differs (null: the same as <paramref name="Quick"/>).</param>
    private sealed record Knob(string Name, string Default, string Quick, string Help, string? Pg = null, string? PgQuick = null);
}
