using System.Reflection;
using System.Reflection.Emit;

namespace Portal.Tests.Architecture;

/// <summary>
/// Which namespace uses which, read from compiled assemblies: for each type (nested and compiler-generated types count
/// for the namespace they sit in), the types it names in its base type, interfaces, attributes, fields, properties,
/// method and constructor signatures, and in the IL of its method bodies (calls, fields, casts, <c>typeof</c>).
/// Only namespaces that start with <see cref="Prefix"/> are nodes; a namespace's use of itself is not an edge.
/// </summary>
internal sealed class NamespaceGraph(string prefix)
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    public string Prefix { get; } = prefix;

    /// <summary>Namespace → the namespaces it uses, each with one type that shows the use ("A.X uses B.Y").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    public static NamespaceGraph Of(string prefix, params Assembly[] assemblies)
    {
        var graph = new NamespaceGraph(prefix);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            graph.AddType(type);
        }

        return graph;
    }

    /// <summary>For tests of the cycle finder: an edge given by hand.</summary>
    public void Add(string from, string to, string example = "")
    {
        if (!Included(from))
        {
            return;
        }

        var uses = Node(from);
        if (Included(to) && !string.Equals(from, to, StringComparison.Ordinal))
        {
            uses.TryAdd(to, example);
        }
    }

    private Dictionary<string, string> Node(string ns)
    {
        if (!_edges.TryGetValue(ns, out var uses))
        {
            uses = new Dictionary<string, string>(StringComparer.Ordinal);
            _edges[ns] = uses;
        }

        return uses;
    }

    private bool Included(string? ns) =>
        ns is not null && (string.Equals(ns, Prefix, StringComparison.Ordinal) || ns.StartsWith(Prefix + ".", StringComparison.Ordinal));

    private void AddType(Type type)
    {
        var from = type.Namespace;
        if (!Included(from))
        {
            return;
        }

        Node(from!);
        var owner = Outermost(type);
        void Uses(Type? used)
        {
            foreach (var named in Named(used))
            {
                Add(from!, named.Namespace!, $"{owner.FullName} uses {Outermost(named).FullName}");
            }
        }

        Uses(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Uses(i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Uses(a.AttributeType);
        }

        foreach (var field in type.GetFields(Declared))
        {
            Uses(field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Uses(property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                Uses(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Uses(parameter.ParameterType);
            }

            foreach (var a in method.GetCustomAttributesData())
            {
                Uses(a.AttributeType);
            }

            foreach (var used in TypesInBody(method))
            {
                Uses(used);
            }
        }
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    /// <summary>The type and every type it is made of (generic arguments, array elements, by-ref targets).</summary>
    private static IEnumerable<Type> Named(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Named(type.GetElementType()))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Named))
            {
                yield return argument;
            }

            type = type.GetGenericTypeDefinition();
        }

        if (type.Namespace is not null)
        {
            yield return type;
        }
    }

    /// <summary>The types the method body names: the declaring types of methods and fields it uses, and types it names.</summary>
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception ex) when (ex is InvalidOperationException or BadImageFormatException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break; // not IL this reader knows: stop rather than misread
            }

            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    foreach (var type in Resolve(method.Module, token, typeArguments, methodArguments))
                    {
                        yield return type;
                    }

                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, at);
                    at += 4 + (4 * count);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
            }
        }
    }

    private static IEnumerable<Type> Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException or MissingMemberException)
        {
            yield break;
        }

        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case MethodBase called:
                if (called.DeclaringType is { } owner)
                {
                    yield return owner;
                }

                if (called.IsGenericMethod)
                {
                    foreach (var argument in called.GetGenericArguments())
                    {
                        yield return argument;
                    }
                }

                break;
            case FieldInfo field when field.DeclaringType is { } holder:
                yield return holder;
                break;
        }
    }
}
