#!/usr/bin/env bash
# Install (or remove) ResNet Studio's menu entry, AppStream metainfo and icons for one
# user or under a prefix, following the freedesktop.org layout.
#
#   install.sh [PROGRAM] [--prefix DIR]     install the entry that starts PROGRAM
#   install.sh --uninstall [--prefix DIR]   remove what install.sh installs
#
# PROGRAM defaults to the bundle's resnet-studio when run from a bundle's linux/ folder,
# else to `command -v resnet-studio` (the console script of a pip or venv install).
# The files go to ${XDG_DATA_HOME:-~/.local/share}/{applications,metainfo,icons/hicolor}
# (the user's menu), or with --prefix to DIR/share/... (e.g. --prefix /usr/local, as
# root, for every user). The icons come from hicolor/ beside this script (a bundle's
# linux/ folder carries them there) or else from the repository's resources/icons.
set -euo pipefail

app_id=org.resnetstudio.ResNetStudio
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}
program=
uninstall=false

usage() { sed -n '5,6s/^#  *//p' "${BASH_SOURCE[0]}"; }
fail() { echo "install.sh: error: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        --uninstall) uninstall=true ;;
        --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder"; data_dir=$2/share; shift ;;
        --prefix=*) data_dir=${1#--prefix=}/share ;;
        -h | --help) usage; exit 0 ;;
        -*) fail "unknown option $1 (see --help)" ;;
        *) [ -z "$program" ] || fail "one program only, got '$program' and '$1'"; program=$1 ;;
    esac
    shift
done

if [ -d "$here/hicolor" ]; then
    icons=$here/hicolor                          # a bundle's linux/ folder
else
    icons=$here/../../resources/icons/hicolor    # the repository
fi
[ -d "$icons" ] || fail "no icons in $here/hicolor nor in resources/icons/hicolor"
# Every size the icon theme knows, found rather than listed: 16x16 … 512x512 and scalable.
mapfile -t icon_files < <(cd "$icons" && find . -path "./*/apps/$app_id.*" -type f | sort)
[ ${#icon_files[@]} -gt 0 ] || fail "no $app_id icon in $icons"

desktop_file=$data_dir/applications/$app_id.desktop
metainfo_file=$data_dir/metainfo/$app_id.metainfo.xml

# Let the menus and the icon theme see the change; both tools are optional.
refresh_caches() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$data_dir/applications" || true
    fi
    # Only where the theme is indexed (a system folder): a cache in ~/.local/share that
    # later installs do not update would hide their icons.
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$data_dir/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -f "$data_dir/icons/hicolor" || true
    fi
}

if $uninstall; then
    rm -f "$desktop_file" "$metainfo_file"
    for icon in "${icon_files[@]}"; do
        rm -f "$data_dir/icons/hicolor/${icon#./}"
    done
    refresh_caches
    echo "Removed ResNet Studio's menu entry from $data_dir"
    exit 0
fi

if [ -z "$program" ]; then
    if [ "$icons" = "$here/hicolor" ] && [ -x "$here/../resnet-studio" ]; then
        program=$(dirname "$here")/resnet-studio  # the bundle this linux/ folder is in
    else
        program=$(command -v resnet-studio) ||
            fail "resnet-studio is not on PATH: give the program's path, e.g. install.sh ~/venvs/resnet/bin/resnet-studio"
    fi
fi
# The menu starts the program without the user's PATH (no activated venv): use an absolute path.
case $program in
    /*) ;;
    */*) folder=$(cd "$(dirname "$program")" 2>/dev/null && pwd) || fail "no folder $(dirname "$program")"
        program=$folder/$(basename "$program") ;;
    *) found=$(command -v "$program") || fail "no program '$program' on PATH"
        program=$found ;;
esac
[ -e "$program" ] || fail "$program: no such file"
[ -f "$program" ] && [ -x "$program" ] || fail "$program is not an executable program"
# Exec's quoting rules (and sed below) cannot carry these; a space is quoted.
case $program in
    *[\"\'\\\`\$%\|\&]* | *$'\n'*) fail "the path $program holds a quote or one of \\ \` \$ % | &; the menu entry cannot name it" ;;
    *" "*) exec_line="\"$program\"" ;;
    *) exec_line=$program ;;
esac

install -Dm644 "$here/$app_id.desktop" "$desktop_file"
sed -i -e "s|^Exec=.*|Exec=$exec_line|" -e "s|^TryExec=.*|TryExec=$program|" "$desktop_file"
install -Dm644 "$here/$app_id.metainfo.xml" "$metainfo_file"
for icon in "${icon_files[@]}"; do
    install -Dm644 "$icons/${icon#./}" "$data_dir/icons/hicolor/${icon#./}"
done
refresh_caches
echo "Installed ResNet Studio's menu entry in $data_dir (it starts $program)"
