"""The package as a user installs it: the built wheel carries the model, and an
installation of it (no source checkout on the path) extracts with the transformer."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_built_wheel_installs_and_extracts_with_its_model(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for model in ("minilm-finance/model.onnx", "minilm-finance/tokenizer.json", "minilm-finance/labels.json",
                  "attach-v1/model.json", "stance-v1/model.json"):
        assert f"extractor/models/{model}" in names

    # a fresh venv: the wheel in its own site-packages, the dependencies borrowed from
    # ours by a .pth line (nothing downloaded); our source checkout is not on its path
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   text=True).strip()
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    Path(site, "borrowed-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel)],
                   check=True, capture_output=True)
    article = shared_path("corpus-dev", "seed-000.txt")
    code = ("import json, sys, extractor\n"
            "from extractor.classify import default_classifier\n"
            f"f = extractor.extract(open({str(article)!r}, encoding='utf-8').read())\n"
            "print(json.dumps({'file': extractor.__file__, 'clf': default_classifier().name,\n"
            "  'returns': [[r.ticker, r.value_pct] for r in f.returns],\n"
            "  'flows': [[x.ticker, x.amount_usd] for x in f.flows]}))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EXTRACTOR_MODEL", "EXTRACTOR_CLASSIFIER")}
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, env={**env, "HF_HUB_OFFLINE": "1"},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["file"].startswith(site) and not got["file"].startswith(str(ROOT))
    assert got["clf"].startswith("minilm:")
    assert ["IWM", 2.7] in got["returns"] and ["IWM", 700000000.0] in got["flows"]
