using System.Collections.Concurrent;
using MimeKit;

namespace Portal.DevMail;

/// <summary>What the dev mail catcher received, newest first, in memory (the last <see cref="Keep"/> messages).</summary>
public sealed class DevMailbox(TimeProvider time)
{
    public const int Keep = 200;

    private readonly ConcurrentQueue<CaughtMessage> _messages = new();
    private long _received;

    public void Add(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var number = Interlocked.Increment(ref _received);
        _messages.Enqueue(new CaughtMessage(
            number,
            time.GetUtcNow(),
            message.From.ToString(),
            message.To.ToString(),
            message.Subject ?? string.Empty,
            message.MessageId,
            message.TextBody ?? message.HtmlBody ?? string.Empty));
        while (_messages.Count > Keep && _messages.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<CaughtMessage> Newest() => [.. _messages.OrderByDescending(m => m.Number)];
}
