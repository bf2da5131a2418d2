namespace MeshPortal.Tests.Support;

/// <summary>Checks an alert webhook delivery the way the README tells a receiver to.</summary>
internal static class WebhookSignature
{
    /// <summary>
    /// What a receiver does, per the README ("Alerts" → Webhook → "Verify it"): the README's shell recipe itself (openssl) is run on the
    /// received timestamp, body and signature, and the same HMAC-SHA256 over timestamp + "." + raw body is computed here.
    /// </summary>
    public static void VerifyAsReadmeSays(ReceivedRequest request, string secret)
    {
        var timestamp = request.Headers["X-MeshPortal-Timestamp"];
        var signature = request.Headers["X-MeshPortal-Signature"];
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
        Assert.Equal(expected, signature);
        Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)) < 600);

        var readme = File.ReadAllText(Path.Combine(Repo.Root(), "README.md"));
        var from = readme.IndexOf("**Verify it**", StringComparison.Ordinal);
        Assert.True(from > 0, "the README's webhook verification recipe");
        var start = readme.IndexOf("```sh\n", from, StringComparison.Ordinal) + "```sh\n".Length;
        var recipe = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var run = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        run.ArgumentList.Add("-c");
        run.ArgumentList.Add(recipe);
        run.Environment["TIMESTAMP"] = timestamp;
        run.Environment["BODY"] = request.Body;
        run.Environment["SECRET"] = secret;
        run.Environment["SIGNATURE"] = signature;
        using var process = System.Diagnostics.Process.Start(run)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal("verified", output.Trim());
    }
}
