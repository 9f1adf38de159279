namespace Participatie.Consultations;

/// <summary>Names this service's assembly, for its wiring and for the test host (every service has a Program).</summary>
public sealed class EntryPoint;
