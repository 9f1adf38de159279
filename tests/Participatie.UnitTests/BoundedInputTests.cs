using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Participatie.BuildingBlocks.Http;

namespace Participatie.UnitTests;

/// <summary>
/// Issue 11 part 7 and issue 12 part 3: every request string is bounded, every vocabulary field is declared where the
/// OpenAPI document can show it, and no regular expression can run without a limit.
/// </summary>
public partial class BoundedInputTests
{
    private const string NotAValue = "zz-not-a-value";

    private static readonly Assembly[] ServiceAssemblies =
    [
        typeof(Participatie.Residents.EntryPoint).Assembly,
        typeof(Participatie.Consultations.EntryPoint).Assembly,
        typeof(Participatie.Notifications.EntryPoint).Assembly,
        typeof(Participatie.PartnerCoordination.EntryPoint).Assembly,
    ];

    private static IEnumerable<Type> Requests => ServiceAssemblies
        .SelectMany(assembly => assembly.GetTypes())
        .Where(type => type is { IsAbstract: false, IsInterface: false } && typeof(IValidatableRequest).IsAssignableFrom(type));

    private sealed record Sample(string? Name, IReadOnlyList<string>? Tags, IReadOnlyDictionary<string, string?>? Texts) : IValidatableRequest
    {
        public void Validate(ValidationErrors errors)
        {
        }
    }

    private sealed record ShortSample([property: System.ComponentModel.DataAnnotations.StringLength(5)] string? Code) : IValidatableRequest
    {
        public void Validate(ValidationErrors errors) => errors.MaxLength("code", Code, 5);
    }

    [Fact]
    public void A_string_longer_than_the_default_bound_is_named_in_every_shape()
    {
        var tooLong = new string('a', InputBounds.DefaultMaxLength + 1);
        var errors = new ValidationErrors();

        InputBounds.Check(new Sample(tooLong, ["ok", tooLong], new Dictionary<string, string?> { ["en"] = tooLong }), errors);

        Assert.Equal(["name", "tags[1]", "texts.en"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_string_at_its_bound_passes_and_a_declared_bound_is_reported_once()
    {
        var atBound = new ValidationErrors();
        InputBounds.Check(new Sample(new string('a', InputBounds.DefaultMaxLength), null, null), atBound);
        Assert.True(atBound.IsEmpty);

        // The attribute on the record's parameter is the bound; the model's own check says the same and is not repeated.
        var request = new ShortSample("abcdef");
        var errors = new ValidationErrors();
        InputBounds.Check(request, errors);
        request.Validate(errors);
        Assert.Equal(["'code' may be at most 5 characters long."], errors.ToDictionary()["code"]);
    }

    /// <summary>
    /// Every field that a model's validation checks against a vocabulary (its OneOf says "must be one of") carries
    /// [Vocabulary] with the same list, so the OpenAPI document's enum is the list validation uses; and every field
    /// with [Vocabulary] refuses a value outside it.
    /// </summary>
    [Fact]
    public void Every_vocabulary_that_validation_checks_is_declared_on_its_field_with_the_same_values()
    {
        var mismatches = new List<string>();
        var checkedFields = 0;
        // A PATCH body is merged into the resident and then validated as a whole registration (RegistryApi).
        foreach (var type in Requests.Where(type => type != typeof(Participatie.Residents.Registry.UpdateResidentRequest)))
        {
            var errors = ValidateWithUnknownValues(type);
            if (errors is null)
            {
                continue;
            }

            foreach (var property in TextProperties(type))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                var messages = errors.TryGetValue(name, out var found) ? found : [];
                var checkedAsVocabulary = messages.Any(message => message.Contains("must be one of", StringComparison.Ordinal)
                    || message.Contains("is not a target group", StringComparison.Ordinal));
                var declared = InputBounds.Attribute<VocabularyAttribute>(property);
                if (declared is not null)
                {
                    checkedFields++;
                }

                if (checkedAsVocabulary && declared is null)
                {
                    mismatches.Add($"{type.Name}.{property.Name}: validated against a vocabulary but has no [Vocabulary]");
                }
                else if (declared is not null && !checkedAsVocabulary)
                {
                    mismatches.Add($"{type.Name}.{property.Name}: [Vocabulary] but validation accepts '{NotAValue}'");
                }
                else if (declared is not null && !messages.Any(message => declared.Values.All(value => message.Contains(value, StringComparison.Ordinal))))
                {
                    mismatches.Add($"{type.Name}.{property.Name}: validation names other values than [Vocabulary({declared.Vocabulary.Name})]");
                }
            }
        }

        Assert.Empty(mismatches);
        Assert.True(checkedFields >= 35, $"Only {checkedFields} vocabulary fields found; the finder is broken.");
    }

    /// <summary>Every regular expression in the code has a timeout or cannot backtrack (issue 11, part 7).</summary>
    [Fact]
    public void Every_generated_regular_expression_has_a_timeout_or_cannot_backtrack()
    {
        var assemblies = ServiceAssemblies
            .Append(typeof(ValidationErrors).Assembly)
            .Append(typeof(Participatie.Contracts.BuurtCodes).Assembly);
        var unbounded = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Concat<MemberInfo>(type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
            .Select(member => (member, attribute: member.GetCustomAttribute<GeneratedRegexAttribute>()))
            .Where(found => found.attribute is not null)
            .ToList();

        Assert.NotEmpty(unbounded);
        Assert.Empty(unbounded
            .Where(found => found.attribute!.MatchTimeoutMilliseconds <= 0 && !found.attribute.Options.HasFlag(RegexOptions.NonBacktracking))
            .Select(found => $"{found.member.DeclaringType?.Name}.{found.member.Name}: {found.attribute!.Pattern}"));
    }

    /// <summary>
    /// The same for expressions built at run time: every <c>new Regex(...)</c> and static Regex call in the sources
    /// passes a TimeSpan or NonBacktracking.
    /// </summary>
    [Fact]
    public void Every_regular_expression_built_at_run_time_has_a_timeout_or_cannot_backtrack()
    {
        var root = RepositoryRoot();
        var folders = new[] { "services", "BuildingBlocks", "Contracts", "gateway", "clients", "tools" }
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists);
        var calls = 0;
        var unbounded = new List<string>();
        foreach (var file in folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            foreach (Match call in RegexUse().Matches(source))
            {
                calls++;
                var arguments = Arguments(source, call.Index + call.Length - 1);
                if (!arguments.Contains("TimeSpan", StringComparison.Ordinal) && !arguments.Contains("NonBacktracking", StringComparison.Ordinal))
                {
                    unbounded.Add($"{Path.GetRelativePath(root, file)}: {call.Value}{arguments}");
                }
            }
        }

        Assert.True(calls > 0, "No run-time regular expression found; the scan is broken.");
        Assert.Empty(unbounded);
    }

    private static Dictionary<string, string[]>? ValidateWithUnknownValues(Type type)
    {
        var request = (IValidatableRequest)RuntimeHelpers.GetUninitializedObject(type);
        foreach (var property in TextProperties(type).Where(property => property.CanWrite))
        {
            property.SetValue(request, property.PropertyType == typeof(string) ? NotAValue : new List<string> { NotAValue });
        }

        var errors = new ValidationErrors();
        try
        {
            request.Validate(errors);
        }
        catch (NullReferenceException)
        {
            // A model that needs more than its strings (a nested list, say) to validate: its text fields are still
            // covered when set; skip it rather than guess.
            return null;
        }

        return new Dictionary<string, string[]>(errors.ToDictionary(), StringComparer.Ordinal);
    }

    private static IEnumerable<PropertyInfo> TextProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType == typeof(string)
                || (property.PropertyType.IsAssignableFrom(typeof(List<string>)) && property.PropertyType != typeof(object)
                    && typeof(IEnumerable).IsAssignableFrom(property.PropertyType)));

    private static string Arguments(string source, int openParenthesis)
    {
        var depth = 0;
        for (var index = openParenthesis; index < source.Length; index++)
        {
            depth += source[index] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return source[openParenthesis..(index + 1)];
            }
        }

        return source[openParenthesis..];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Participatie.sln above the test's directory.");
    }

    [GeneratedRegex(@"(new Regex|Regex\.(IsMatch|Match|Matches|Replace|Split|Count|EnumerateMatches))\(", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RegexUse();
}
