using System.Data.Common;

namespace Portal.Core.Persistence;

/// <summary>
/// The writer's connection closed in the middle of a write: its transaction went with it. Saving anyway would reopen a
/// connection and write outside any transaction, so the write (and, on SQLite, the rest of its batch) fails instead.
/// </summary>
public sealed class StoreConnectionLostException() : DbException("The store connection closed in the middle of a write; nothing of it was committed.");
