namespace Participatie.Consultations.Domain;

/// <summary>
/// Guessing voting codes: a client address gets <see cref="MaximumWrongCodes"/> wrong codes per measurement within
/// <see cref="Window"/>, then waits until the oldest of them leaves the window. With 60-bit codes this leaves guessing
/// hopeless, and a resident who mistypes a few times is not held up.
/// </summary>
public static class WrongCodeLimit
{
    public const int MaximumWrongCodes = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>How long the client must wait, or null when it may try: given its wrong codes within the window, oldest first.</summary>
    public static TimeSpan? WaitFor(IReadOnlyList<DateTimeOffset> wrongCodesInWindow, DateTimeOffset now)
    {
        if (wrongCodesInWindow.Count < MaximumWrongCodes)
        {
            return null;
        }

        // The try that brings the count below the limit again is the oldest one leaving the window.
        var freeAt = wrongCodesInWindow[wrongCodesInWindow.Count - MaximumWrongCodes] + Window;
        return freeAt > now ? freeAt - now : null;
    }
}
