# syntax=docker/dockerfile:1
# Build: the Maven wrapper makes the production jar (Vaadin's pre-compiled bundle; Node is needed by its build step).
FROM eclipse-temurin:17-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY frontend frontend
COPY src src
RUN ./mvnw -B -DskipTests package && cp target/switchboard-*.jar /app.jar

# Run: a JRE, a non-root user, H2 on the /data volume.
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data switchboard \
    && mkdir -p /data && chown switchboard /data
COPY --from=build /app.jar /opt/switchboard/app.jar
USER switchboard
WORKDIR /data
VOLUME /data
ENV SPRING_DATASOURCE_URL="jdbc:h2:file:/data/switchboard;AUTO_SERVER=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
# JVM options (README, "Deployment"): the heap is 75 % of the container's memory; G1 keeps the heap it has committed
# instead of shrinking it after each marking cycle (MaxHeapFreeRatio=100); Tomcat's per-websocket buffers are 2 KB
# (8 KB by default), one websocket per open browser tab. Override the whole variable to change any of them.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:MaxHeapFreeRatio=100 -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/switchboard/app.jar"]
