namespace Portal.E2E.Checkout;

/// <summary>
/// The portal's Permissions-Policy as Chromium applies it: the hosted 0Gate frame may ask for payment and the camera
/// (identity verification), and nothing the portal switched off reaches it.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class HostedFramePermissionsTests(PortalFixture portal)
{
    [Fact]
    public Task The_hosted_frame_gets_payment_and_camera_and_nothing_the_portal_switched_off() => portal.RunPageAsync(async page =>
    {
        var journey = new CheckoutJourney(portal, page);
        await journey.SignInAsync("bob", "/");
        await journey.StartAsync("on_ramp", "25");

        var hosted = page.Frames.Single(frame => frame.Url.StartsWith(portal.Server.Options.SandboxUrl, StringComparison.Ordinal));

        (await AllowsAsync(hosted, "payment")).ShouldBeTrue();
        (await AllowsAsync(hosted, "camera")).ShouldBeTrue();
        (await AllowsAsync(hosted, "microphone")).ShouldBeFalse();
        (await AllowsAsync(hosted, "geolocation")).ShouldBeFalse();
        (await AllowsAsync(hosted, "usb")).ShouldBeFalse();
        // The portal itself keeps what it delegates, and no more.
        (await AllowsAsync(page.MainFrame, "payment")).ShouldBeTrue();
        (await AllowsAsync(page.MainFrame, "geolocation")).ShouldBeFalse();
    });

    /// <summary>Chromium's view of the policy in force for that document (header plus the iframe's allow attribute).</summary>
    private static Task<bool> AllowsAsync(IFrame frame, string feature) =>
        frame.EvaluateAsync<bool>("feature => document.featurePolicy.allowsFeature(feature)", feature);
}
