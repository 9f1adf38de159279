namespace Participatie.PartnerCoordination.Domain;

/// <summary>The kinds of organisation that run a trajectory together.</summary>
public static class PartnerKinds
{
    public const string Municipality = "municipality";
    public const string HousingCorporation = "housing-corporation";
    public const string SocialInstitution = "social-institution";
    public const string TenantsOrganisation = "tenants-organisation";

    /// <summary>A residents' committee of one complex: under the Overlegwet it advises the landlord as a tenants' organisation does.</summary>
    public const string Bewonerscommissie = "bewonerscommissie";

    public static readonly IReadOnlyList<string> All = [Municipality, HousingCorporation, SocialInstitution, TenantsOrganisation, Bewonerscommissie];

    /// <summary>The kinds a landlord asks for advice under the Overlegwet.</summary>
    public static readonly IReadOnlyList<string> AdvisingTenants = [TenantsOrganisation, Bewonerscommissie];
}
