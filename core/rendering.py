from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Every form and field rendered with KERN UX markup (label, hint, error, widget)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
