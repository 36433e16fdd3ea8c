# Multi-stage build: compile with a JDK 25, run as a non-root user on a JRE 25.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -DskipTests package

FROM eclipse-temurin:25-jre
RUN groupadd --system relay && useradd --system --gid relay --home /var/lib/relay relay \
    && mkdir -p /var/lib/relay && chown relay:relay /var/lib/relay \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/relay.jar /opt/relay/relay.jar
USER relay
WORKDIR /var/lib/relay
ENV RELAY_DATA_DIR=/var/lib/relay/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/relay/relay.jar"]
