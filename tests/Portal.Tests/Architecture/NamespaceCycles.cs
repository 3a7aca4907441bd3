namespace Portal.Tests.Architecture;

/// <summary>Finds the namespaces that use each other in a circle (strongly connected components), each with one path around it.</summary>
internal static class NamespaceCycles
{
    /// <summary>Each cycle as "A → B → A" with, per step, a type that shows the use; empty when there is none.</summary>
    public static IReadOnlyList<string> Find(NamespaceGraph graph)
    {
        var edges = graph.Edges;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in Successors(node))
            {
                if (!index.TryGetValue(to, out var seen))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (!string.Equals(member, node, StringComparison.Ordinal));

                if (component.Count > 1)
                {
                    components.Add(component);
                }
            }
        }

        IEnumerable<string> Successors(string node) =>
            edges.TryGetValue(node, out var uses) ? uses.Keys.Order(StringComparer.Ordinal) : [];

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return [.. components.Select(c => Describe(c, edges))];
    }

    /// <summary>The shortest way from the component's first namespace back to itself, inside the component.</summary>
    private static string Describe(List<string> component, IReadOnlyDictionary<string, Dictionary<string, string>> edges)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var start = component.Min(StringComparer.Ordinal)!;
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        string? last = null;
        while (queue.Count > 0 && last is null)
        {
            var node = queue.Dequeue();
            foreach (var to in edges[node].Keys.Where(members.Contains).Order(StringComparer.Ordinal))
            {
                if (string.Equals(to, start, StringComparison.Ordinal))
                {
                    last = node;
                    break;
                }

                if (cameFrom.TryAdd(to, node))
                {
                    queue.Enqueue(to);
                }
            }
        }

        var path = new List<string> { start };
        for (var node = last!; !string.Equals(node, start, StringComparison.Ordinal); node = cameFrom[node])
        {
            path.Insert(1, node);
        }

        path.Add(start);
        var steps = path.Zip(path.Skip(1), (from, to) => $"  {from} → {to}: {edges[from][to]}");
        return $"{string.Join(" → ", path)} (all of: {string.Join(", ", component.Order(StringComparer.Ordinal))})\n{string.Join("\n", steps)}";
    }
}
