namespace Portal.Core.Attempts;

/// <summary>The portal pages 0Gate sends the customer back to (<c>return_url</c>, <c>cancel_url</c>).</summary>
public static class CheckoutUrls
{
    public static string Return(Uri portalBase, string attemptId) => new Uri(portalBase, $"checkout/{attemptId}/return").ToString();

    public static string Cancel(Uri portalBase, string attemptId) => new Uri(portalBase, $"checkout/{attemptId}/cancel").ToString();
}
