using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Portal.Core;
using Portal.Hosting;

namespace Portal.Tests.Hosting;

/// <summary>Which start-up failures are configuration errors, and the one line each becomes.</summary>
public sealed class StartupErrorsTests
{
    [Fact]
    public void Each_options_failure_is_a_problem_without_the_data_annotations_wrapping()
    {
        var error = new OptionsValidationException("Oidc", typeof(object),
        [
            "DataAnnotation validation failed for 'OidcSettings' members: 'Authority' with the error: 'Oidc:Authority is required (the identity provider's issuer URL).'.",
            "Gate:SecretKey is required and must start with sk_test_ or sk_live_.",
        ]);

        StartupErrors.Problems(error).ShouldBe(
        [
            "Oidc:Authority is required (the identity provider's issuer URL).",
            "Gate:SecretKey is required and must start with sk_test_ or sk_live_.",
        ]);
    }

    [Fact]
    public void Failures_of_several_options_classes_are_all_listed()
    {
        var error = new AggregateException(
            new OptionsValidationException("Gate", typeof(object), ["Gate:PublishableKey is required."]),
            new InvalidConfigurationException("ConnectionStrings:Portal", "ConnectionStrings:Portal is required."));

        StartupErrors.Problems(error).ShouldBe(["Gate:PublishableKey is required.", "ConnectionStrings:Portal is required."]);
    }

    [Fact]
    public void An_address_in_use_names_Urls()
    {
        var error = new IOException(
            "Failed to bind to address http://127.0.0.1:5080: address already in use.", new AddressInUseException("Address already in use"));

        StartupErrors.Problems(error).ShouldHaveSingleItem().ShouldStartWith("Urls: Failed to bind to address http://127.0.0.1:5080");
    }

    [Fact]
    public void Anything_else_is_not_a_configuration_error_and_is_left_alone()
    {
        StartupErrors.Problems(new InvalidOperationException("A bug.")).ShouldBeEmpty();
        StartupErrors.Problems(new IOException("Disk full.")).ShouldBeEmpty();
        // One real bug among configuration errors: the whole exception surfaces, with its stack trace.
        StartupErrors.Problems(new AggregateException(
            new OptionsValidationException("Gate", typeof(object), ["Gate:PublishableKey is required."]),
            new InvalidOperationException("A bug."))).ShouldBeEmpty();
    }

    [Fact]
    public void Outside_its_own_process_the_exception_goes_to_the_host_unchanged()
    {
        // Here the test runner owns the process, as it does for WebApplicationFactory<Program>.
        var error = new OptionsValidationException("Gate", typeof(object), ["Gate:PublishableKey is required."]);

        Should.Throw<OptionsValidationException>(() => StartupErrors.ReportConfigurationErrors(() => throw error)).ShouldBeSameAs(error);
    }
}
