using System.Net;
using System.Net.Http.Headers;
using Footprint.Formats;
using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// HTTP for one repository of one registry (OCI distribution-spec, "Pulling"): requests with the credentials the
/// registry asks for, redirects followed by hand (bounded, and credentials never sent to another host, e.g. a
/// storage bucket), every body read under a cap. Anonymous first; on 401 the WWW-Authenticate challenge decides:
/// Bearer (distribution's token authentication: GET realm?service=..&amp;scope=repository:NAME:pull, with Basic
/// credentials when there are some) or Basic. Thread-safe: layers are fetched in parallel.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    /// <summary>Redirects followed for one request (a registry redirects a blob once, to its storage).</summary>
    public const int MaxRedirects = 5;

    /// <summary>A token endpoint's answer larger than this is refused (tokens are a few KiB).</summary>
    public const int MaxTokenResponseBytes = 1 << 20;

    private const string UserAgent = "footprint";

    private readonly HttpClient _http;
    private readonly RegistryOptions _options;
    private readonly Lock _authLock = new();
    private AuthenticationHeaderValue? _authorization;
    private RegistryCredential? _credential;
    private bool _credentialLooked;
    private int _requests;

    /// <summary>The options the client was made with.</summary>
    public RegistryOptions Options => _options;

    public RegistryClient(ImageReference reference, RegistryOptions options)
    {
        Reference = reference;
        _options = options;
        var plain = options.AllowsPlainHttp(reference.Registry);
        BaseUri = new Uri($"{(plain ? "http" : "https")}://{reference.ApiHost}/");
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.RequestTimeout,
            UseCookies = false,
            UseProxy = true,
            MaxResponseHeadersLength = 64,
        };
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        if (options.BearerToken is { } token)
        {
            _authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
    }

    public ImageReference Reference { get; }

    public Uri BaseUri { get; }

    /// <summary>HTTP requests sent so far, to the registry and its token endpoint.</summary>
    public int RequestCount => _requests;

    /// <summary>The URL of a registry API path under /v2/NAME/.</summary>
    public Uri Api(string kind, string reference) => new(BaseUri, $"v2/{Reference.Repository}/{kind}/{reference}");

    /// <summary>
    /// Sends a GET, authenticating and following redirects; the response (headers read, body not) is the caller's.
    /// Non-success statuses other than 206 become <see cref="RegistryException"/>s naming <paramref name="what"/>.
    /// </summary>
    public HttpResponseMessage Get(Uri url, string what, IEnumerable<string>? accept = null, long? rangeFrom = null)
    {
        var authenticated = false;
        for (var redirects = 0; ; )
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            foreach (var a in accept ?? [])
            {
                request.Headers.Accept.ParseAdd(a);
            }

            if (rangeFrom is { } from)
            {
                request.Headers.Range = new RangeHeaderValue(from, null);
            }

            var own = SameOrigin(url);
            if (own)
            {
                lock (_authLock)
                {
                    request.Headers.Authorization = _authorization;
                }
            }

            var response = Send(request, what);
            if (response.StatusCode == HttpStatusCode.Unauthorized && own && _options.BearerToken is not null)
            {
                response.Dispose();
                throw new RegistryException($"{Reference}: {what}: the registry refused the Bearer token it was given (HTTP 401)");
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && own && !authenticated)
            {
                authenticated = true;
                var sent = request.Headers.Authorization;
                Authenticate(response, sent);
                response.Dispose();
                continue;
            }

            if (IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location;
                response.Dispose();
                if (location is null)
                {
                    throw new RegistryException($"{Reference}: {what}: redirect without a Location");
                }

                if (++redirects > MaxRedirects)
                {
                    throw new RegistryException($"{Reference}: {what}: more than {MaxRedirects} redirects");
                }

                url = new Uri(url, location);
                CheckScheme(url, what);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            throw status switch
            {
                401 => Credential() is null ? NeedsCredentials("token") : new RegistryException($"{Reference}: {what}: the registry refused the credentials (HTTP 401)"),
                403 => new RegistryException($"{Reference}: {what}: access denied (HTTP 403)"),
                404 => new RegistryException($"{Reference}: {what}: not found (HTTP 404)"),
                416 => new RegistryException($"{Reference}: {what}: range not satisfiable (HTTP 416)"),
                _ => new RegistryException($"{Reference}: {what}: the registry answered HTTP {status}"),
            };
        }
    }

    /// <summary>
    /// The body of <paramref name="response"/>, at most <paramref name="maxBytes"/>: a larger Content-Length is refused
    /// before anything is read, and a body that runs past the cap anyway is refused when it does. The buffer grows
    /// with what arrives, never to a size the server declared.
    /// </summary>
    public byte[] ReadBody(HttpResponseMessage response, long maxBytes, string source)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw new FootprintFormatException(source, null, $"the registry declares {declared} bytes, more than the {maxBytes} accepted");
        }

        using var body = response.Content.ReadAsStream();
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = ReadTimed(body, buffer, source)) > 0)
        {
            if (copy.Length + n > maxBytes)
            {
                throw new FootprintFormatException(source, null, $"more than the {maxBytes} bytes accepted");
            }

            copy.Write(buffer, 0, n);
        }

        return copy.ToArray();
    }

    /// <summary>
    /// One read of a response body that fails (an <see cref="IOException"/>) when no byte arrives within the request
    /// timeout: a server that sends headers and then stalls must not hang the run. A blob stream treats it like a
    /// dropped connection and resumes.
    /// </summary>
    public int ReadTimed(Stream body, Span<byte> buffer, string what)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, 1 << 20));
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout);
            int n;
            try
            {
                n = body.ReadAsync(rented.AsMemory(0, Math.Min(buffer.Length, rented.Length)), timeout.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e)
            {
                throw new IOException($"{what}: no data from the registry for {_options.RequestTimeout.TotalSeconds} seconds", e);
            }

            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpResponseMessage Send(HttpRequestMessage request, string what)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            return _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            // The message names the host and the failure ("Connection refused (localhost:5000)"); never a header.
            throw new RegistryException($"{Reference}: {what}: cannot reach {request.RequestUri!.Authority}: {e.Message}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new RegistryException($"{Reference}: {what}: no answer from {request.RequestUri!.Authority} within {_options.RequestTimeout.TotalSeconds} seconds", e);
        }
    }

    private void Authenticate(HttpResponseMessage response, AuthenticationHeaderValue? sent)
    {
        var challenges = new List<AuthChallenge>();
        if (response.Headers.TryGetValues("WWW-Authenticate", out var values))
        {
            foreach (var v in values.Take(AuthChallenge.MaxItems))
            {
                try
                {
                    challenges.AddRange(AuthChallenge.Parse(v));
                }
                catch (FormatException e)
                {
                    throw new RegistryException($"{Reference}: HTTP 401 with a malformed WWW-Authenticate header ({e.Message})");
                }
            }
        }

        var credential = Credential();
        if (challenges.FirstOrDefault(c => c.IsBearer) is { } bearer)
        {
            var token = FetchToken(bearer, credential);
            lock (_authLock)
            {
                _authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return;
        }

        if (challenges.Any(c => c.IsBasic))
        {
            if (credential is null)
            {
                throw NeedsCredentials("Basic");
            }

            if (credential.IsIdentityToken)
            {
                throw new RegistryException($"{Reference}: the registry asks for Basic authentication, and the only credential is an identity token (which is traded at a Bearer token endpoint)");
            }

            if (sent is not null)
            {
                throw new RegistryException($"{Reference}: the registry refused the credentials (HTTP 401)");
            }

            lock (_authLock)
            {
                _authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue());
            }

            return;
        }

        throw new RegistryException(challenges.Count == 0
            ? $"{Reference}: the registry needs authentication (HTTP 401) but names no scheme (no WWW-Authenticate header)"
            : $"{Reference}: the registry needs authentication (HTTP 401) by {string.Join(", ", challenges.Select(c => Printable(c.Scheme)))}, which is not supported (Bearer and Basic are)");
    }

    /// <summary>
    /// Distribution's token flow: GET realm?service=S&amp;scope=repository:NAME:pull (Basic credentials when there are
    /// some), or for an identity token a POST of the refresh_token grant; the answer is {"token"} or {"access_token"}.
    /// </summary>
    private string FetchToken(AuthChallenge challenge, RegistryCredential? credential)
    {
        if (challenge.Realm is not { } realmText || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw new RegistryException($"{Reference}: the registry's Bearer challenge names no usable realm (an http(s) URL)");
        }

        CheckScheme(realm, "token realm");
        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge.Scope ?? $"repository:{Reference.Repository}:pull"));
        // An identity token is traded by OAuth2's refresh_token grant (distribution's "OAuth2 token" flow): a POST whose
        // form carries it, with the service and scope; no Basic header, and no query string to log it in.
        var refresh = credential is { IsIdentityToken: true };
        var url = refresh ? realm : new UriBuilder(realm) { Query = (realm.Query.Length > 1 ? realm.Query[1..] + "&" : string.Empty) + string.Join('&', query) }.Uri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(refresh ? HttpMethod.Post : HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            if (refresh)
            {
                var form = new List<KeyValuePair<string, string>>
                {
                    new("grant_type", "refresh_token"),
                    new("refresh_token", credential!.Secret),
                    new("client_id", "footprint"),
                    new("scope", challenge.Scope ?? $"repository:{Reference.Repository}:pull"),
                };
                if (challenge.Service is { } formService)
                {
                    form.Add(new("service", formService));
                }

                request.Content = new FormUrlEncodedContent(form);
            }
            else if (credential is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue());
            }

            using var response = Send(request, "token");
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location && redirects < MaxRedirects)
            {
                var next = new Uri(url, location);
                CheckScheme(next, "token realm");
                if (credential is not null && next.Authority != url.Authority)
                {
                    throw new RegistryException($"{Reference}: the token endpoint redirects to another host; credentials are not sent there");
                }

                url = next;
                continue;
            }

            if (refresh && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            {
                // OAuth2 answers a bad refresh token with 400 invalid_grant; distribution's servers with 401.
                throw new RegistryException($"{Reference}: the token endpoint refused the identity token (HTTP {(int)response.StatusCode}); log in again with `docker login {Reference.Registry}`");
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw credential is null ? NeedsCredentials("Bearer") : new RegistryException($"{Reference}: the token endpoint refused the credentials (HTTP 401)");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException($"{Reference}: the token endpoint answered HTTP {(int)response.StatusCode}");
            }

            var source = $"{Reference} (token from {url.Authority})";
            var body = ReadBody(response, MaxTokenResponseBytes, source);
            using var doc = JsonFields.Parse(body, source);
            var root = JsonFields.Root(doc, source).AsObject();
            var token = root.OptionalString("token") ?? root.OptionalString("access_token");
            if (string.IsNullOrEmpty(token) || !token.All(c => c > ' ' && c < 127))
            {
                throw new FootprintFormatException(source, null, "$.token: missing, empty or not printable ASCII");
            }

            return token;
        }
    }

    private RegistryException NeedsCredentials(string scheme)
        => new($"{Reference}: the registry needs credentials (HTTP 401, {scheme} authentication) and none were given: "
            + "pass --creds USER:PASSWORD, or log in with `docker login " + Reference.Registry + "`");

    private RegistryCredential? Credential()
    {
        lock (_authLock)
        {
            if (!_credentialLooked)
            {
                _credential = _options.Credential ?? DockerConfig.Find(_options.DockerConfigPath ?? DockerConfig.DefaultPath(), Reference.Registry);
                _credentialLooked = true;
            }

            return _credential;
        }
    }

    /// <summary>Plain HTTP only to loopback and `--insecure-registry` hosts, also after a redirect.</summary>
    private void CheckScheme(Uri url, string what)
    {
        if (url.Scheme == "https")
        {
            return;
        }

        if (url.Scheme != "http" || !_options.AllowsPlainHttp(url.Authority))
        {
            throw new RegistryException($"{Reference}: {what}: refusing to follow the registry to {url.Scheme}://{url.Authority} (plain HTTP only to localhost or a registry named by --insecure-registry)");
        }
    }

    private bool SameOrigin(Uri url) => url.Scheme == BaseUri.Scheme && url.Authority == BaseUri.Authority;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static string Printable(string text) => new(text.Take(40).Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());
}
