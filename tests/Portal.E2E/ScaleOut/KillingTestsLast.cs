using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portal.E2E.ScaleOut;

/// <summary>Marks a test that kills one of the fixture's instances.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KillsAnInstanceAttribute : Attribute;

/// <summary>
/// Runs the tests marked <see cref="KillsAnInstanceAttribute"/> after the others, so those find both instances up without
/// waiting for a restart (a test that needs an instance still calls <see cref="TwoInstancesFixture.EnsureRunningAsync"/>).
/// The rest run in name order.
/// </summary>
public sealed class KillingTestsLast : ITestCaseOrderer
{
    public const string TypeName = "Portal.E2E.ScaleOut.KillingTestsLast";
    public const string AssemblyName = "Portal.E2E";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(KillsAnInstanceAttribute).AssemblyQualifiedName).Any())
            .ThenBy(test => test.TestMethod.Method.Name, StringComparer.Ordinal);
}
