using System.Globalization;

namespace Portal.Tests.Faults;

/// <summary>
/// Time bounds that stay honest on a shared machine: the target holds on an idle machine; when the run queue is much
/// longer than the cores (other test runs, builds), every process waits for a core too, so the bound is widened in
/// proportion and the test output says so. The figures are always printed against the target.
/// </summary>
internal static class MachineLoad
{
    /// <summary>The one-minute load average per core (Linux), or 0 where it cannot be read.</summary>
    public static double PerCore()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture) / Environment.ProcessorCount;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary><paramref name="target"/> up to 2 runnable processes per core; beyond, widened in proportion (at most 3x).</summary>
    public static TimeSpan Bound(TimeSpan target, out string note)
    {
        var load = PerCore();
        var factor = Math.Clamp(load / 2, 1, 3);
        note = factor > 1
            ? string.Create(CultureInfo.InvariantCulture, $"machine loaded ({load:0.0} runnable per core): bound {target.TotalSeconds * factor:0.0} s instead of {target.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"bound {target.TotalSeconds:0} s");
        return target * factor;
    }
}
