import subprocess

THUMB_DIR = "/srv/media/thumbs"


def make_thumbnail(filename, size="200x200"):
    command = f"convert /srv/media/uploads/{filename} -resize {size} {THUMB_DIR}/{filename}"
    subprocess.call(command, shell=True)
