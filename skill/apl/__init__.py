"""APL for devices with a screen: documents as data per locale, their datasources, the directive."""
