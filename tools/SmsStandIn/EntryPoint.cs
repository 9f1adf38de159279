namespace Participatie.SmsStandIn;

/// <summary>Names the stand-in's assembly, so that tests can host it in their own process as a real HTTP server.</summary>
public sealed class EntryPoint;
