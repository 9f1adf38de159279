namespace Participatie.PartnerCoordination.Domain;

/// <summary>The kinds of organisation that run a trajectory together.</summary>
public static class PartnerKinds
{
    public const string Municipality = "municipality";
    public const string HousingCorporation = "housing-corporation";
    public const string SocialInstitution = "social-institution";
    public const string TenantsOrganisation = "tenants-organisation";

    public static readonly IReadOnlyList<string> All = [Municipality, HousingCorporation, SocialInstitution, TenantsOrganisation];
}
