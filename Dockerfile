# Builds and runs MeshPortal. Used by docker-compose.yml and the Kubernetes manifests (deploy/kubernetes); the data
# directory is a volume.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# ReadyToRun (precompiled code for the build's own platform, linux-x64 or linux-arm64; still framework-dependent): a
# cold start JITs far less (issue 20). tests/MeshPortal.Benchmarks "cold-start ... image" publishes with these arguments.
RUN dotnet publish src/MeshPortal.Web -c Release -o /app --use-current-runtime --self-contained false -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# The application files stay owned by root: the process can read them, not change them.
COPY --from=build /app .
# Runs as the base image's non-root "app" user, UID/GID 1654 ($APP_UID), named by number so that Kubernetes can verify
# runAsNonRoot and the manifests can set runAsUser/fsGroup to match. The data directory is created owned by it, so a
# fresh volume (compose's named volume, a PersistentVolumeClaim with fsGroup 1654) is writable.
# Nothing else is written outside /data and /tmp (Data Protection stages new keys there, Kestrel buffers requests), so
# the image runs with a read-only root filesystem given a writable /tmp (deploy/kubernetes mounts an emptyDir there).
RUN mkdir -p /data && chown 1654:1654 /data && chmod 0750 /data
ENV ASPNETCORE_URLS=http://+:8080 \
    MeshPortal__DataDirectory=/data
VOLUME /data
EXPOSE 8080
USER 1654:1654
ENTRYPOINT ["dotnet", "MeshPortal.Web.dll"]
