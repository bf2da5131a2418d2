using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Trust figures: a root plus N intermediates (default 50) with RSA 4096 through MeshPortal's code (.NET RSA.Create +
/// CertificateRequest), against a shell script doing the same with openssl genrsa/req/x509 the way Istio's tools/certs
/// Makefile does, in the same run; then ECDSA P-256 (goal: 50 intermediates in under a second).
/// Then RSA 4096 key generation alone with .NET, the openssl CLI and BouncyCastle. Usage: <c>trust [count] [keys]</c>.
/// </summary>
internal static class TrustBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        Console.WriteLine($"trust: root + {count} intermediates, {Environment.ProcessorCount} cores");

        Issue(CaKeyType.EcdsaP256, 2, parallel: false); // warm-up (JIT)
        var p256 = Issue(CaKeyType.EcdsaP256, count, parallel: false);
        Console.WriteLine($"  ECDSA P-256, .NET, serial:      {p256.TotalMilliseconds,8:F0} ms  (goal < 1000 ms)");

        var rsa = Issue(CaKeyType.Rsa4096, count, parallel: false);
        Console.WriteLine($"  RSA 4096,   .NET, serial:       {rsa.TotalMilliseconds,8:F0} ms  ({rsa.TotalMilliseconds / (count + 1):F0} ms per CA)");
        var rsaParallel = Issue(CaKeyType.Rsa4096, count, parallel: true);
        Console.WriteLine($"  RSA 4096,   .NET, parallel:     {rsaParallel.TotalMilliseconds,8:F0} ms  (as IntermediateIssuer does)");

        var openssl = await OpensslAsync(count);
        Console.WriteLine($"  RSA 4096,   openssl script:     {openssl.TotalMilliseconds,8:F0} ms  ({openssl.TotalMilliseconds / (count + 1):F0} ms per CA)");
        Console.WriteLine($"  .NET serial / openssl: {rsa / openssl:F2}x; .NET parallel / openssl: {rsaParallel / openssl:F2}x");

        // Which RSA 4096 key generator is fastest here (key generation only, serial, same run)?
        var keys = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
        Console.WriteLine($"  RSA 4096 key generation only, {keys} keys each, serial:");
        Console.WriteLine($"    .NET RSA.Create(4096):        {Keys(keys, () => { using var k = RSA.Create(4096); _ = k.ExportPkcs8PrivateKey(); }),8:F0} ms per key");
        Console.WriteLine($"    openssl genrsa (process):     {await OpensslKeysAsync(keys),8:F0} ms per key");
        Console.WriteLine($"    BouncyCastle RsaKeyPairGen.:  {Keys(keys, BouncyCastleKey),8:F0} ms per key");
        return 0;
    }

    private static double Keys(int count, Action generate)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            generate();
        }

        return watch.Elapsed.TotalMilliseconds / count;
    }

    private static void BouncyCastleKey()
    {
        var generator = new Org.BouncyCastle.Crypto.Generators.RsaKeyPairGenerator();
        generator.Init(new Org.BouncyCastle.Crypto.KeyGenerationParameters(new Org.BouncyCastle.Security.SecureRandom(), 4096));
        _ = generator.GenerateKeyPair();
    }

    private static async Task<double> OpensslKeysAsync(int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "genrsa", "4096" })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            _ = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
        }

        return watch.Elapsed.TotalMilliseconds / count;
    }

    private static TimeSpan Issue(string keyType, int count, bool parallel)
    {
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        using var rootKey = CaKeyType.Generate(keyType);
        using var root = CaCertificates.CreateRoot(rootKey, CaCertificates.RootSubject("Istio", "Root CA"), now, now.AddYears(10));
        _ = CaCertificates.ExportPrivateKeyPem(rootKey);
        void One(int i)
        {
            using var key = CaKeyType.Generate(keyType);
            using var cert = CaCertificates.CreateIntermediate(key, $"cluster{i}", root, rootKey, now, now.AddYears(2));
            _ = cert.ExportCertificatePem() + CaCertificates.ExportPrivateKeyPem(key);
        }

        if (parallel)
        {
            Parallel.For(0, count, One);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                One(i);
            }
        }

        return watch.Elapsed;
    }

    /// <summary>The Makefile.selfsigned.mk steps: genrsa 4096, req, x509 -signkey for the root; genrsa, req, x509 -CA per cluster; cat the chain.</summary>
    private static async Task<TimeSpan> OpensslAsync(int count)
    {
        var dir = Directory.CreateTempSubdirectory("meshportal-bench-certs-");
        try
        {
            var script = Path.Combine(dir.FullName, "certs.sh");
            await File.WriteAllTextAsync(script, $$"""
                set -e
                cd "{{dir.FullName}}"
                cat > root-ca.conf <<EOF
                [ req ]
                encrypt_key = no
                prompt = no
                utf8 = yes
                default_md = sha256
                default_bits = 4096
                req_extensions = req_ext
                x509_extensions = req_ext
                distinguished_name = req_dn
                [ req_ext ]
                subjectKeyIdentifier = hash
                basicConstraints = critical, CA:true
                keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
                [ req_dn ]
                O = Istio
                CN = Root CA
                EOF
                openssl genrsa -out root-key.pem 4096 2>/dev/null
                openssl req -sha256 -new -key root-key.pem -config root-ca.conf -out root-cert.csr
                openssl x509 -req -sha256 -days 3650 -signkey root-key.pem -extensions req_ext -extfile root-ca.conf -in root-cert.csr -out root-cert.pem 2>/dev/null
                for i in $(seq 1 {{count}}); do
                  mkdir -p cluster$i
                  cat > cluster$i/intermediate.conf <<EOF
                [ req ]
                encrypt_key = no
                prompt = no
                utf8 = yes
                default_md = sha256
                default_bits = 4096
                req_extensions = req_ext
                x509_extensions = req_ext
                distinguished_name = req_dn
                [ req_ext ]
                subjectKeyIdentifier = hash
                basicConstraints = critical, CA:true, pathlen:0
                keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
                subjectAltName=@san
                [ san ]
                DNS.1 = istiod.istio-system.svc
                [ req_dn ]
                O = Istio
                CN = Intermediate CA
                L = cluster$i
                EOF
                  openssl genrsa -out cluster$i/ca-key.pem 4096 2>/dev/null
                  openssl req -sha256 -new -config cluster$i/intermediate.conf -key cluster$i/ca-key.pem -out cluster$i/cluster-ca.csr
                  openssl x509 -req -sha256 -days 730 -CA root-cert.pem -CAkey root-key.pem -CAcreateserial -extensions req_ext -extfile cluster$i/intermediate.conf -in cluster$i/cluster-ca.csr -out cluster$i/ca-cert.pem 2>/dev/null
                  cat cluster$i/ca-cert.pem root-cert.pem > cluster$i/cert-chain.pem
                  cp root-cert.pem cluster$i/
                done
                """.Replace("\r\n", "\n"));
            var watch = Stopwatch.StartNew();
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true };
            start.ArgumentList.Add(script);
            using var process = Process.Start(start)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("openssl script failed: " + stderr);
            }

            return watch.Elapsed;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
