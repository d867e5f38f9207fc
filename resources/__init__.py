"""Files the installed program reads at run time (icons; translations to come).

The sources live here, at the top of the repository; pyproject.toml installs this
folder as the package ``resnet_studio.resources``, so a wheel, an editable install
and a frozen bundle all find them through ``resnet_studio.assets``.
"""
