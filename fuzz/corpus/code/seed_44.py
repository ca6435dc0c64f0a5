"""Small HTML fragments used by the comment widgets."""


def comment_html(author, text):
    header = "<div class='comment'><b>" + author + "</b>"
    return header + "<p>" + text + "</p></div>"
