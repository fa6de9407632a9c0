# crmorg in a container, for CI systems that run linters as images:
#   docker build -t crmorg .
#   docker run --rm -v "$PWD:/work" crmorg validate models/
# The Python packages are the runtime part of requirements/test.lock, with the same pins
# and hashes as CI (requirements/runtime_lock.py selects them); crmorg runs as an
# unprivileged user in /work.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY requirements/ requirements/
COPY src/ src/
RUN python requirements/runtime_lock.py > /runtime.lock \
    && pip wheel --quiet --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /runtime.lock /wheels/ /tmp/crmorg/
RUN pip install --quiet --require-hashes --no-deps -r /tmp/crmorg/runtime.lock \
    && pip install --quiet --no-deps /tmp/crmorg/*.whl \
    && pip check \
    && rm -rf /tmp/crmorg \
    && useradd --create-home --uid 10001 --user-group crmorg
USER crmorg
WORKDIR /work
ENTRYPOINT ["crmorg"]
CMD ["--help"]
