#!/bin/sh
# Regenerates languages/nightshift-bridge.pot from the PHP sources.
set -e
cd "$(dirname "$0")/.."
xgettext --language=PHP --from-code=UTF-8 --add-comments=translators \
  --keyword=__ --keyword=esc_html__ --keyword=esc_attr__ --keyword=_e --keyword=esc_html_e --keyword=_x:1,2c --keyword=_n:1,2 \
  --package-name="Nightshift Bridge" --package-version=0.1.0 \
  --msgid-bugs-address="https://github.com/nightshift/nightshift/issues" \
  --sort-by-file --omit-header -o languages/body.pot nightshift-bridge.php uninstall.php includes/*.php
{
  printf '# Nightshift Bridge translations template.\n# This file is distributed under the GPL-2.0-or-later license.\nmsgid ""\nmsgstr ""\n'
  printf '"Project-Id-Version: Nightshift Bridge 0.1.0\\n"\n"Report-Msgid-Bugs-To: https://github.com/nightshift/nightshift/issues\\n"\n'
  printf '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n"X-Domain: nightshift-bridge\\n"\n\n'
  cat languages/body.pot
} > languages/nightshift-bridge.pot
rm languages/body.pot
