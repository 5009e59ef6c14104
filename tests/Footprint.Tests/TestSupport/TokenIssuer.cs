using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// A token endpoint for docker-registry's `auth: token:` (distribution's token authentication): an RSA key with a
/// self-signed certificate (written as the registry's rootcertbundle) signs RS256 JWTs whose header carries the
/// certificate (x5c). A request with the right Basic credentials gets pull access to the scope it asks for; one
/// without credentials gets a token granting nothing (as Docker Hub's anonymous tokens for private repositories);
/// wrong credentials get 401.
/// </summary>
internal sealed class TokenIssuer : IDisposable
{
    public const string Service = "footprint-test-registry";
    public const string Issuer = "footprint-test-issuer";

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _user;
    private readonly string _password;
    private readonly HttpFront _front;

    public TokenIssuer(string directory, string user, string password)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest("CN=footprint test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        RootCertBundle = Path.Combine(directory, "token-root.pem");
        File.WriteAllText(RootCertBundle, _certificate.ExportCertificatePem());
        _front = new HttpFront(Handle);
    }

    public string RootCertBundle { get; }

    public string Realm => $"http://127.0.0.1:{_front.Port}/token";

    /// <summary>The `auth:` section of a registry config that trusts this issuer.</summary>
    public string RegistryAuthSection => $"  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {RootCertBundle}\n";

    public HttpFront Front => _front;

    /// <summary>A pull token for <paramref name="repository"/>, asked of this issuer with the right credentials (as Harbor's token service hands its scanner one).</summary>
    public string PullToken(string repository)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Realm}?service={Service}&scope=repository:{repository}:pull");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_user + ":" + _password)));
        using var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(response.Content.ReadAsStream());
        return document.RootElement.GetProperty("token").GetString()!;
    }

    public void Dispose()
    {
        _front.Dispose();
        _certificate.Dispose();
        _key.Dispose();
    }

    /// <summary>The identity (OAuth2 refresh) token this issuer trades for access tokens (docker config `identitytoken`).</summary>
    public string RefreshToken { get; } = "fp-refresh-" + Guid.NewGuid().ToString("N");

    /// <summary>The forms POSTed to the endpoint (the refresh_token grant), field by field.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Dictionary<string, string>> Forms { get; } = new();

    private async Task Handle(HttpListenerContext context)
    {
        var scope = context.Request.QueryString["scope"] ?? string.Empty;
        var auth = context.Request.Headers["Authorization"];
        var granted = false;
        if (context.Request.HttpMethod == "POST")
        {
            // OAuth2's refresh_token grant: a form, no Authorization header; a wrong token is invalid_grant (400).
            using var reader = new StreamReader(context.Request.InputStream);
            var form = (await reader.ReadToEndAsync()).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);
            Forms.Enqueue(form);
            if (auth is not null || form.GetValueOrDefault("grant_type") != "refresh_token" || form.GetValueOrDefault("refresh_token") != RefreshToken)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
                return;
            }

            scope = form.GetValueOrDefault("scope") ?? string.Empty;
            granted = true;
        }
        else if (auth is not null)
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_user + ":" + _password));
            if (auth != expected)
            {
                context.Response.StatusCode = 401;
                context.Response.Close();
                return;
            }

            granted = true;
        }

        var parts = scope.Split(':');
        var access = granted && parts.Length == 3 && parts[0] == "repository"
            ? new object[] { new { type = "repository", name = parts[1], actions = parts[2].Split(',') } }
            : [];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = granted ? _user : string.Empty,
            ["aud"] = Service,
            ["exp"] = now + 600,
            ["nbf"] = now - 60,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = signingInput + "." + Base64Url(signature);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token, access_token = token, expires_in = 600 });
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
