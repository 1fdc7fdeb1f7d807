"""What protects the site and the admin: response headers (CSP, Permissions-Policy), throttled
password resets and the deploy checks of production settings. Login throttling is django-axes,
configured in settings."""
