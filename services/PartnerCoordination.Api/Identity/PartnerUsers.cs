using Dapper;
using Npgsql;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>A person who works for a partner and signs in to its web clients.</summary>
public sealed record PartnerUser
{
    public required Guid Id { get; init; }

    public required Guid PartnerId { get; init; }

    public required string PartnerKind { get; init; }

    public required string Email { get; init; }

    public required string Name { get; init; }

    public required string PasswordHash { get; init; }

    public required string Role { get; init; }
}

public sealed class PartnerUsers(NpgsqlDataSource database)
{
    /// <summary>The active user with this e-mail address and password, or null (the same answer for either mistake).</summary>
    public async Task<PartnerUser?> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<PartnerUser>(new CommandDefinition(
            """
            SELECT u.id, u.partner_id AS PartnerId, p.kind AS PartnerKind, u.email, u.name, u.password_hash AS PasswordHash, u.role
            FROM partner_users u JOIN partners p ON p.id = u.partner_id
            WHERE lower(u.email) = lower(@Email) AND u.disabled_at IS NULL
            """,
            new { Email = email }, cancellationToken: cancellationToken));
        if (user is null)
        {
            StaffPasswords.SpendOneVerification(password);
            return null;
        }

        if (!ClientSecrets.Verify(password, user.PasswordHash))
        {
            return null;
        }

        if (StaffPasswords.NeedsRehash(user.PasswordHash))
        {
            // The only moment the password is known: bring an older, weaker hash up to today's iterations.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE partner_users SET password_hash = @PasswordHash WHERE id = @Id AND password_hash = @OldHash",
                new { PasswordHash = StaffPasswords.Hash(password), user.Id, OldHash = user.PasswordHash }, cancellationToken: cancellationToken));
        }

        return user;
    }

    public async Task<PartnerUser?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PartnerUser>(new CommandDefinition(
            """
            SELECT u.id, u.partner_id AS PartnerId, p.kind AS PartnerKind, u.email, u.name, u.password_hash AS PasswordHash, u.role
            FROM partner_users u JOIN partners p ON p.id = u.partner_id
            WHERE u.id = @UserId AND u.disabled_at IS NULL
            """,
            new { UserId = userId }, cancellationToken: cancellationToken));
    }
}
