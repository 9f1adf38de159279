namespace Participatie.EndToEndTests;

/// <summary>The runtime settings every platform process runs with, as the AppHost starts them (AppHost/RuntimeSettings).</summary>
public sealed class RuntimeSettingsTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("gateway")]
    [InlineData("partner-coordination")]
    [InlineData("residents")]
    [InlineData("consultations")]
    [InlineData("notifications")]
    public async Task A_platform_process_runs_without_write_xor_execute_so_no_jit_code_is_mapped_twice(string resource)
    {
        var environment = await platform.ProcessEnvironmentAsync(resource);
        Assert.Equal("0", environment.GetValueOrDefault("DOTNET_EnableWriteXorExecute"));
        // With W^X on, the runtime keeps its executable memory in a shared mapping it maps twice (memfd:doublemapper).
        var maps = await platform.ProcessFileAsync(resource, "maps");
        Assert.DoesNotContain("doublemapper", maps, StringComparison.Ordinal);
    }
}
