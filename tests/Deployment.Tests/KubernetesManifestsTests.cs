using k8s;
using k8s.Models;

namespace Participatie.Deployment.Tests;

/// <summary>
/// deploy/k8s, checked offline: both kustomizations render with both renderers, every object is a valid Kubernetes
/// API object, and the platform's rules hold (probes, resources, disruption budgets, autoscalers, least privilege).
/// </summary>
public sealed class KubernetesManifestsTests : IDisposable
{
    private const string Base = "base";
    private const string Production = "overlays/production";

    /// <summary>The workloads that run as Deployments, each with its Service and PodDisruptionBudget.</summary>
    private static readonly string[] Workloads =
        ["gateway", "partner-coordination", "residents", "consultations", "notifications", "resident-portal", "partner-console"];

    /// <summary>The Deployments a HorizontalPodAutoscaler scales on CPU.</summary>
    private static readonly string[] Autoscaled = ["consultations", "gateway"];

    /// <summary>The services with a database of their own, and its name (the connection string's).</summary>
    private static readonly Dictionary<string, string> Databases = new(StringComparer.Ordinal)
    {
        ["partner-coordination"] = "partnersdb",
        ["residents"] = "residentsdb",
        ["consultations"] = "consultationsdb",
        ["notifications"] = "notificationsdb",
    };

    /// <summary>The web clients, each with a small database of its own for its Data Protection key ring.</summary>
    private static readonly Dictionary<string, string> WebClientDatabases = new(StringComparer.Ordinal)
    {
        ["resident-portal"] = "residentportaldb",
        ["partner-console"] = "partnerconsoledb",
    };

    /// <summary>Every workload with a database of its own, and so a migration job.</summary>
    private static IEnumerable<KeyValuePair<string, string>> AllDatabases => Databases.Concat(WebClientDatabases);

    private readonly Manifests _manifests = Manifests.Copy();

    public void Dispose() => _manifests.Dispose();

    public static TheoryData<string, string> Renderings()
    {
        var data = new TheoryData<string, string>();
        foreach (var kubectl in Kubectl.All())
        {
            data.Add(Base, kubectl);
            data.Add(Production, kubectl);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Renders_into_valid_kubernetes_objects(string kustomization, string kubectl)
    {
        var objects = _manifests.RenderAndRead(kustomization, kubectl);

        Assert.All(objects, item => Assert.False(string.IsNullOrEmpty(item.Name()), $"A {item.Kind} without a name."));
        Assert.Equal(Workloads.Order(StringComparer.Ordinal), Of<V1Deployment>(objects).Select(item => item.Name()).Order(StringComparer.Ordinal));
        Assert.Equal(
            AllDatabases.Select(owner => owner.Key + "-migrations").Order(StringComparer.Ordinal),
            Of<V1Job>(objects).Select(item => item.Name()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Both_renderers_give_the_same_objects(string kustomization, string kubectl)
    {
        // kustomize 2 and 5 name generated objects with different hashes; the rest must agree.
        static string Key(IKubernetesObject<V1ObjectMeta> item) =>
            $"{item.ApiVersion}/{item.Kind}/{System.Text.RegularExpressions.Regex.Replace(item.Name(), "-[a-z0-9]{10}$", string.Empty)}";

        var reference = _manifests.RenderAndRead(kustomization, Kubectl.Debian).Select(Key).Order(StringComparer.Ordinal);
        var rendered = _manifests.RenderAndRead(kustomization, kubectl).Select(Key).Order(StringComparer.Ordinal);

        Assert.Equal(reference, rendered);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Every_deployment_has_probes_resources_a_disruption_budget_and_a_locked_down_container(string kustomization, string kubectl)
    {
        var objects = _manifests.RenderAndRead(kustomization, kubectl);
        var budgets = Of<V1PodDisruptionBudget>(objects);

        Assert.All(Of<V1Deployment>(objects), deployment =>
        {
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.Equal("/health", container.ReadinessProbe?.HttpGet?.Path);
            Assert.Equal("/alive", container.LivenessProbe?.HttpGet?.Path);
            Assert.Equal("http", container.ReadinessProbe!.HttpGet.Port.Value);
            Assert.Equal(8080, container.Ports.Single(port => port.Name == "http").ContainerPort);
            Assert.Equal("256Mi", container.Resources?.Requests?["memory"].ToString());
            Assert.Equal("100m", container.Resources!.Requests!["cpu"].ToString());
            Assert.Equal("384Mi", container.Resources.Limits?["memory"].ToString());
            // Two replicas, or none where an autoscaler (at least two) owns the count.
            Assert.Equal(Autoscaled.Contains(deployment.Name()) ? null : 2, deployment.Spec.Replicas);
            Assert.Equal($"participatie/{deployment.Name()}", container.Image.Split(':')[0]);

            Assert.True(pod.SecurityContext?.RunAsNonRoot);
            Assert.True(container.SecurityContext?.RunAsNonRoot);
            Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities?.Drop);

            var budget = Assert.Single(budgets, item => Selects(item.Spec.Selector, deployment));
            Assert.Equal(1, budget.Spec.MinAvailable?.Value is string value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : -1);
        });
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void The_gateway_and_consultations_scale_on_cpu(string kustomization, string kubectl)
    {
        var objects = _manifests.RenderAndRead(kustomization, kubectl);
        var deployments = Of<V1Deployment>(objects).Select(item => item.Name()).ToHashSet(StringComparer.Ordinal);

        var autoscalers = Of<V2HorizontalPodAutoscaler>(objects);

        Assert.Equal(Autoscaled, autoscalers.Select(item => item.Spec.ScaleTargetRef.Name).Order(StringComparer.Ordinal));
        Assert.All(autoscalers, autoscaler =>
        {
            Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
            Assert.Equal("Deployment", autoscaler.Spec.ScaleTargetRef.Kind);
            Assert.Contains(autoscaler.Spec.ScaleTargetRef.Name, deployments);
            Assert.Equal(2, autoscaler.Spec.MinReplicas);
            var metric = Assert.Single(autoscaler.Spec.Metrics);
            Assert.Equal("cpu", metric.Resource?.Name);
            Assert.Equal("Utilization", metric.Resource!.Target.Type);
        });
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Only_a_migration_job_holds_the_owner_connection(string kustomization, string kubectl)
    {
        var objects = _manifests.RenderAndRead(kustomization, kubectl);
        var secrets = Of<V1Secret>(objects).ToDictionary(item => item.Name(), StringComparer.Ordinal);
        var configMaps = Of<V1ConfigMap>(objects).ToDictionary(item => item.Name(), StringComparer.Ordinal);

        // Every variable a pod's container gets, from its env, its Secrets and its ConfigMaps.
        IReadOnlyList<string> Variables(V1PodSpec pod) =>
        [
            .. pod.Containers.SelectMany(container => (container.Env ?? []).Select(variable => variable.Name)
                .Concat((container.EnvFrom ?? []).SelectMany(source =>
                    source.SecretRef is { } secret ? secrets[secret.Name].Data.Keys
                    : source.ConfigMapRef is { } map ? map.Name is { } name ? configMaps[name].Data.Keys : []
                    : []))),
        ];

        foreach (var deployment in Of<V1Deployment>(objects))
        {
            var variables = Variables(deployment.Spec.Template.Spec);
            Assert.DoesNotContain(variables, variable => variable.EndsWith("-owner", StringComparison.Ordinal));
            if (Databases.TryGetValue(deployment.Name(), out var database))
            {
                // Its own role's connection only, told that a job migrates, and its broker user.
                Assert.Equal([$"ConnectionStrings__{database}"], variables.Where(variable => variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && variable != "ConnectionStrings__messaging"));
                Assert.Contains("ConnectionStrings__messaging", variables);
                Assert.Equal("Job", deployment.Spec.Template.Spec.Containers[0].Env.Single(variable => variable.Name == "Database__Migrations").Value);
            }
            else if (WebClientDatabases.TryGetValue(deployment.Name(), out var keyRingDatabase))
            {
                // Its key ring's database with its own role, the ring's encryption secret, no broker.
                Assert.Equal([$"ConnectionStrings__{keyRingDatabase}"], variables.Where(variable => variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal)));
                Assert.Contains("DataProtection__KeyEncryptionKey", variables);
                Assert.Equal("Job", deployment.Spec.Template.Spec.Containers[0].Env.Single(variable => variable.Name == "Database__Migrations").Value);
            }
            else
            {
                Assert.DoesNotContain(variables, variable => variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
            }
        }

        foreach (var (service, database) in AllDatabases)
        {
            var job = Of<V1Job>(objects).Single(item => item.Name() == service + "-migrations");
            var container = Assert.Single(job.Spec.Template.Spec.Containers);
            Assert.Equal(["--migrate-only"], container.Args);
            Assert.Equal($"participatie/{service}", container.Image.Split(':')[0]);
            Assert.Equal(
                [$"ConnectionStrings__{database}", $"ConnectionStrings__{database}-owner"],
                Variables(job.Spec.Template.Spec).Where(variable => variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Every_reference_names_an_object_that_is_there(string kustomization, string kubectl)
    {
        var objects = _manifests.RenderAndRead(kustomization, kubectl);
        var names = objects.Select(item => $"{item.Kind}/{item.Name()}").ToHashSet(StringComparer.Ordinal);
        var pods = Of<V1Deployment>(objects).Select(item => item.Spec.Template.Spec)
            .Concat(Of<V1Job>(objects).Select(item => item.Spec.Template.Spec));

        Assert.All(pods.SelectMany(pod => pod.Containers).SelectMany(container => container.EnvFrom ?? []), source =>
            Assert.Contains(source.SecretRef is { } secret ? $"Secret/{secret.Name}" : $"ConfigMap/{source.ConfigMapRef.Name}", names));
        // Service discovery's addresses (services__<name>__http__0) reach a Service of that name.
        var settings = Of<V1ConfigMap>(objects).SelectMany(map => map.Data)
            .Where(setting => setting.Key.StartsWith("services__", StringComparison.Ordinal)).ToList();
        Assert.Equal(Workloads.Length - 1, settings.Count);
        Assert.All(settings, setting => Assert.Contains($"Service/{new Uri(setting.Value).Host}", names));
        Assert.All(Of<V1Service>(objects).Where(service => service.Spec.Type != "ExternalName"), service =>
            Assert.Contains(Of<V1Deployment>(objects), deployment => Selects(service.Spec.Selector, deployment)));
        Assert.Contains("Service/postgres", names);
        Assert.Contains("Service/rabbitmq", names);
    }

    [Fact]
    public void Production_lives_in_its_namespace_with_released_images_and_the_operators_secrets()
    {
        var objects = _manifests.RenderAndRead(Production, Kubectl.Debian);

        Assert.All(objects.Where(item => item is not V1Namespace), item => Assert.Equal("participatie", item.Namespace()));
        Assert.All(Of<V1Deployment>(objects), deployment => Assert.EndsWith(":1.0.0", deployment.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal));
        Assert.All(Of<V1Service>(objects).Where(service => service.Spec.Type == "ExternalName"), service =>
            Assert.DoesNotContain("participatie.example", service.Spec.ExternalName, StringComparison.Ordinal));
        // Nothing of the base's placeholders is left.
        Assert.All(Of<V1Secret>(objects).SelectMany(secret => secret.Data.Values), value =>
            Assert.DoesNotContain("CHANGE-ME", System.Text.Encoding.UTF8.GetString(value ?? []), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kubectl.Renderers), MemberType = typeof(Kubectl))]
    public void A_misspelt_field_fails_validation(string kubectl)
    {
        _manifests.Edit("base/consultations.yaml", "          readinessProbe:", "          readinessprobe:");

        var exception = Assert.ThrowsAny<Exception>(() => _manifests.RenderAndRead(Base, kubectl));

        Assert.Contains("readinessprobe", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kubectl.Renderers), MemberType = typeof(Kubectl))]
    public void A_value_of_the_wrong_type_fails_validation(string kubectl)
    {
        _manifests.Edit("base/residents.yaml", "  replicas: 2", "  replicas: two");

        Assert.ThrowsAny<Exception>(() => _manifests.RenderAndRead(Base, kubectl));
    }

    [Theory]
    [MemberData(nameof(Kubectl.Renderers), MemberType = typeof(Kubectl))]
    public void A_missing_required_field_fails_validation(string kubectl)
    {
        // The strict reader takes a missing port for 0; the API's schema requires it.
        _manifests.Edit("base/residents.yaml", "      port: 80\n", string.Empty);

        var exception = Assert.Throws<InvalidOperationException>(() => _manifests.RenderAndRead(Base, kubectl));

        Assert.Contains("Service/residents: data/spec/ports/0 must have required property port", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_production_overlay_without_the_operators_secret_files_does_not_render()
    {
        File.Delete(Path.Combine(_manifests.Root, "overlays", "production", "secrets", "residents.env"));

        Assert.ThrowsAny<InvalidOperationException>(() => _manifests.Render(Production, Kubectl.Debian));
    }

    private static List<T> Of<T>(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) => [.. objects.OfType<T>()];

    private static bool Selects(V1LabelSelector selector, V1Deployment deployment) => Selects(selector.MatchLabels, deployment);

    private static bool Selects(IDictionary<string, string> labels, V1Deployment deployment) =>
        labels.All(label => deployment.Spec.Template.Metadata.Labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
