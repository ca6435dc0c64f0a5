from django.utils.safestring import mark_safe


def render_badge(label, colour="blue"):
    return mark_safe(f'<span class="badge badge-{colour}">{label}</span>')
