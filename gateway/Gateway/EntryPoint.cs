namespace Participatie.Gateway;

/// <summary>Names the gateway's assembly for its test host (every service has a Program).</summary>
public sealed class EntryPoint;
