FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY kbportal kbportal
COPY tenants tenants
COPY articles articles
COPY permissions permissions
COPY search search
COPY audit audit
RUN pip install --require-hashes -r requirements.lock && pip install --no-deps .
COPY . .
RUN DJANGO_SETTINGS_MODULE=kbportal.settings.local python manage.py compilemessages --ignore=.venv -v 0
RUN useradd --create-home kb && chown -R kb /app
USER kb
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["web"]
