namespace Portal.Core.Records;

/// <summary>Where an outcome email stands.</summary>
public enum EmailResult
{
    /// <summary>Handed to the SMTP server now, or a crash came while it was: never sent again.</summary>
    Sending,

    /// <summary>The SMTP server accepted it.</summary>
    Sent,

    /// <summary>The server refused it before taking it (no connection, envelope or message refused): the job tries again.</summary>
    NotSent,

    /// <summary>The connection broke while the message was being handed over, or the run crashed: it may have arrived, so it is not sent again.</summary>
    Uncertain,
}
