# tailscale-update: re-creates the Tailscale container when its registry tag points to a new image.
# RouterOS 7.16+ (fetch response headers, :onerror, :deserialize, :convert lc). Installed and
# scheduled as the README says (RouterOS part, "Updates"), after its settings block is edited:
#   /system/script/add name=tailscale-update policy=read,write,test,ftp source=[/file/get tailscale-update.rsc contents]
#   /system/scheduler/add name=tailscale-update interval=1d start-time=04:00:00 policy=read,write,test,ftp on-event="/system/script/run tailscale-update"
# Each run: an anonymous registry token (when tsTokenService is set), the tag's digest
# (Docker-Content-Digest of its manifest list), compared with the digest recorded in tsDigestFile.
# Unchanged, or the registry unreachable: nothing happens. Changed: stop, remove, add again from
# remote-image with tsAddSettings (the same settings as before), start, record the new digest.
# The node's identity stays on its state mount. Every step is logged (topic script).

# ---- settings: edit to match your router ----------------------------------------------------
:local tsContainer "tailscale"
:local tsRegistry "ghcr.io"
# https, or http for a registry on a test network.
:local tsScheme "https"
:local tsRepository "OWNER/REPO"
:local tsTag "tiny"
# The registry's anonymous token service ("" for a registry without authentication).
:local tsTokenService "https://ghcr.io/token"
# What your /container/add had besides remote-image= and name=, exactly as you typed it. The log
# shows it: keep the auth key in an env list (envlists=), not in an inline env=.
:local tsAddSettings "interface=veth-ts envlists=ts mountlists=ts_state root-dir=tailscale/root logging=yes start-on-boot=yes"
:local tsDigestFile "tailscale-image-digest.txt"
# ----------------------------------------------------------------------------------------------

:local tsLog "tailscale-update:"
# No "&" in these URLs: "&" breaks /tool/fetch url= (see the README). \3F is "?".
:local tsTokenUrl ($tsTokenService . "\3Fscope=repository:" . $tsRepository . ":pull")
:local tsManifestUrl ($tsScheme . "://" . $tsRegistry . "/v2/" . $tsRepository . "/manifests/" . $tsTag)
:local tsAccept "Accept:application/vnd.docker.distribution.manifest.list.v2+json"
:local tsImage ($tsRegistry . "/" . $tsRepository . ":" . $tsTag)
:local tsOk true

# 1. An anonymous pull token (ghcr.io wants one even for public images).
:local tsHeaders $tsAccept
:if ([:len $tsTokenService] > 0) do={
  :onerror tsErr in={
    :local tsReply [/tool/fetch url=$tsTokenUrl output=user as-value]
    :local tsJson [:deserialize from=json value=($tsReply->"data")]
    :local tsToken ($tsJson->"token")
    :if ([:len $tsToken] = 0) do={ :error "no token in the reply" }
    :set tsHeaders ($tsAccept . ",Authorization:Bearer " . $tsToken)
  } do={
    :log warning "$tsLog registry token from $tsTokenService failed ($tsErr); nothing changed"
    :set tsOk false
  }
}

# 2. The tag's digest.
:local tsDigest ""
:if ($tsOk) do={
  :onerror tsErr in={
    :local tsReply [/tool/fetch url=$tsManifestUrl http-header-field=$tsHeaders output=user-with-headers as-value]
    :local tsResponse ($tsReply->"http-headers")
    # The headers come as an array or as one "Name: value;..." string, depending on the version.
    :if ([:typeof $tsResponse] = "array") do={
      :foreach tsKey,tsValue in=$tsResponse do={
        :if ([:convert transform=lc $tsKey] = "docker-content-digest") do={ :set tsDigest $tsValue }
      }
    } else={
      :local tsText [:convert transform=lc [:tostr $tsResponse]]
      :local tsAt [:find $tsText "docker-content-digest:"]
      :if ([:typeof $tsAt] = "num") do={
        :local tsRest [:pick $tsText ($tsAt + 22) [:len $tsText]]
        :local tsEnd [:find $tsRest ";"]
        :if ([:typeof $tsEnd] != "num") do={ :set tsEnd [:len $tsRest] }
        :set tsDigest [:pick $tsRest 0 $tsEnd]
        :while ([:pick $tsDigest 0 1] = " ") do={ :set tsDigest [:pick $tsDigest 1 [:len $tsDigest]] }
      }
    }
  } do={
    :log warning "$tsLog $tsManifestUrl failed ($tsErr); nothing changed"
    :set tsOk false
  }
}
:if ($tsOk && ([:len $tsDigest] != 71 || [:pick $tsDigest 0 7] != "sha256:")) do={
  :log warning "$tsLog $tsManifestUrl gave no Docker-Content-Digest (got \"$tsDigest\"); nothing changed"
  :set tsOk false
}

# 3. Compare with the digest recorded at the last update.
:local tsInstalled ""
:if ([:len [/file/find where name=$tsDigestFile]] > 0) do={ :set tsInstalled [/file/get [/file/find where name=$tsDigestFile] contents] }
:if ($tsOk && $tsDigest = $tsInstalled) do={
  :log info "$tsLog $tsImage is still $tsDigest; nothing to do"
  :set tsOk false
}

# 4. Re-create the container from the new image with the same settings.
:if ($tsOk) do={
  :log info "$tsLog $tsImage is now $tsDigest (was \"$tsInstalled\"): re-creating container $tsContainer"
  :local tsId [/container/find where name=$tsContainer]
  :if ([:len $tsId] > 0) do={
    :log info "$tsLog stopping $tsContainer"
    :onerror tsErr in={ /container/stop $tsId } do={ :log info "$tsLog stop: $tsErr" }
    :onerror tsErr in={
      :retry command={ /container/remove $tsId } delay=2 max=30
      :log info "$tsLog removed $tsContainer"
    } do={
      :log error "$tsLog $tsContainer would not stop and go ($tsErr); nothing else changed"
      :set tsOk false
    }
  }
}
:if ($tsOk) do={
  :local tsAdd ("/container/add remote-image=" . $tsImage . " name=" . $tsContainer . " " . $tsAddSettings)
  :log info "$tsLog $tsAdd"
  :onerror tsErr in={
    :local tsAddCommand [:parse $tsAdd]
    $tsAddCommand
  } do={
    :log error "$tsLog adding $tsContainer failed ($tsErr); add it by hand: $tsAdd"
    :set tsOk false
  }
}
:if ($tsOk) do={
  # Pull and extraction run in the background; start refuses until they are done.
  :onerror tsErr in={
    :retry command={ /container/start [/container/find where name=$tsContainer] } delay=5 max=120
    :log info "$tsLog started $tsContainer from $tsDigest"
  } do={
    :log error "$tsLog $tsContainer did not start within 10 minutes ($tsErr); see /container/print and the log"
  }
  :if ([:len [/file/find where name=$tsDigestFile]] = 0) do={ /file/add name=$tsDigestFile contents=$tsDigest } else={ /file/set [/file/find where name=$tsDigestFile] contents=$tsDigest }
}
