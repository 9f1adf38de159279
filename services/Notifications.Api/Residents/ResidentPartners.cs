namespace Participatie.Notifications.Residents;

/// <summary>
/// Which partners registered each resident (or were linked to them later; kept by
/// <see cref="BuildingBlocks.Residents.ResidentPartnerLinks"/>): only they see the resident's pseudonymous id; every
/// other partner of the trajectory sees what was said or done, not by whom.
/// </summary>
public static class ResidentPartners
{
    /// <summary>SQL on <c>notifications</c>: whether the caller (<c>@CallerPartnerId</c>) registered the notification's resident.</summary>
    public const string CallerRegisteredResident =
        "EXISTS (SELECT 1 FROM resident_partners rp WHERE rp.resident_id = notifications.resident_id AND rp.partner_id = @CallerPartnerId)";
}
