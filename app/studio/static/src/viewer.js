// The 3D viewer: three.js with orbit controls, lighting presets, a wireframe toggle and a face count.
// It renders on demand (a change of view or setting), never in a loop, so an idle page costs no CPU. The reflection
// environment (for metallic PBR models) is prefiltered only when its preset is picked: without a GPU that takes
// seconds.

import {
  ACESFilmicToneMapping,
  AmbientLight,
  Box3,
  Color,
  DirectionalLight,
  GridHelper,
  HemisphereLight,
  PerspectiveCamera,
  PMREMGenerator,
  Scene,
  Vector3,
  WebGLRenderer,
} from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { RoomEnvironment } from "three/addons/environments/RoomEnvironment.js";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";

const PRESETS = {
  studio: { background: 0x1b1f27, environment: false, hemi: [0xffffff, 0x3a3f4a, 1.6], key: [0xffffff, 2.2, [3, 5, 4]], fill: [0xc8d8ff, 0.8, [-4, 2, 2]], ambient: 0.15 },
  daylight: { background: 0x9cc1e4, environment: false, hemi: [0xe8f1ff, 0x5b4a36, 2.2], key: [0xfff3dc, 2.6, [4, 8, 2]], fill: [0xffffff, 0, [0, 1, 0]], ambient: 0.2 },
  dramatic: { background: 0x06070a, environment: false, hemi: [0x223355, 0x000000, 0.15], key: [0xffd2a0, 4, [-5, 2, 1.5]], fill: [0x4060ff, 0.6, [4, 1, -3]], ambient: 0.02 },
  reflections: { background: 0x1b1f27, environment: true, hemi: [0xffffff, 0x30343c, 0.3], key: [0xffffff, 1.2, [3, 5, 4]], fill: [0xffffff, 0, [0, 1, 0]], ambient: 0 },
};

function countFaces(root) {
  let faces = 0;
  root.traverse((node) => {
    const geometry = node.isMesh ? node.geometry : null;
    if (!geometry) return;
    faces += (geometry.index ? geometry.index.count : geometry.attributes.position.count) / 3;
  });
  return Math.round(faces);
}

function dispose(root) {
  root.traverse((node) => {
    if (!node.isMesh) return;
    node.geometry.dispose();
    for (const material of [node.material].flat()) {
      for (const value of Object.values(material)) if (value?.isTexture) value.dispose();
      material.dispose();
    }
  });
}

export class Viewer {
  constructor(canvas) {
    this.canvas = canvas;
    this.renderer = new WebGLRenderer({ canvas, antialias: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.toneMapping = ACESFilmicToneMapping;
    this.scene = new Scene();
    this.camera = new PerspectiveCamera(40, 1, 0.01, 100);
    this.camera.position.set(1.6, 1.2, 2.2);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.listenToKeyEvents(canvas);
    this.controls.keyRotateSpeed = 12; // about 7° a press (the default is under 1°)
    this.controls.addEventListener("change", () => this.render());
    canvas.addEventListener("keydown", (event) => this.zoomKey(event));
    this.hemi = new HemisphereLight();
    this.key = new DirectionalLight();
    this.fill = new DirectionalLight();
    this.ambient = new AmbientLight();
    this.grid = new GridHelper(4, 16, 0x4b5563, 0x2a2f38);
    this.scene.add(this.hemi, this.key, this.fill, this.ambient, this.grid);
    this.room = null; // the prefiltered reflection environment, made on first use
    this.model = null;
    this.wireframe = false;
    this.setLighting("studio");
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    this.resize();
  }

  /** + and − zoom from the keyboard (OrbitControls' keys pan, and orbit with Shift). */
  zoomKey(event) {
    const factor = { "+": 0.85, "=": 0.85, "-": 1 / 0.85, "_": 1 / 0.85 }[event.key];
    if (!factor) return;
    event.preventDefault();
    const offset = this.camera.position.clone().sub(this.controls.target).multiplyScalar(factor);
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
  }

  resize() {
    const { clientWidth: width, clientHeight: height } = this.canvas.parentElement;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  render() {
    this.renderer.render(this.scene, this.camera);
  }

  setLighting(name) {
    const preset = PRESETS[name] || PRESETS.studio;
    this.scene.background = new Color(preset.background);
    if (preset.environment && !this.room) {
      this.room = new PMREMGenerator(this.renderer).fromScene(new RoomEnvironment(), 0.04).texture;
    }
    this.scene.environment = preset.environment ? this.room : null;
    this.hemi.color.set(preset.hemi[0]);
    this.hemi.groundColor.set(preset.hemi[1]);
    this.hemi.intensity = preset.hemi[2];
    this.key.color.set(preset.key[0]);
    this.key.intensity = preset.key[1];
    this.key.position.set(...preset.key[2]);
    this.fill.color.set(preset.fill[0]);
    this.fill.intensity = preset.fill[1];
    this.fill.position.set(...preset.fill[2]);
    this.ambient.intensity = preset.ambient;
    this.render();
  }

  setWireframe(on) {
    this.wireframe = on;
    this.model?.traverse((node) => {
      if (node.isMesh) for (const material of [node.material].flat()) material.wireframe = on;
    });
    this.render();
  }

  /** Load a GLB from a URL; answers the number of faces it holds. */
  async load(url) {
    const gltf = await new GLTFLoader().loadAsync(url);
    if (this.model) {
      this.scene.remove(this.model);
      dispose(this.model);
    }
    this.model = gltf.scene;
    this.scene.add(this.model);
    this.setWireframe(this.wireframe);
    this.frame();
    return countFaces(this.model);
  }

  /** Point the camera at the whole model, from the front and a little above. */
  frame() {
    if (!this.model) return;
    const box = new Box3().setFromObject(this.model);
    const size = box.getSize(new Vector3());
    const center = box.getCenter(new Vector3());
    const radius = Math.max(size.x, size.y, size.z, 0.001);
    const distance = ((radius / 2) / Math.tan((this.camera.fov * Math.PI) / 360)) * 1.45;
    this.grid.scale.setScalar(Math.max(radius * 0.75, 0.4));
    this.grid.position.set(center.x, box.min.y, center.z);
    this.controls.target.copy(center);
    this.camera.position.copy(center).add(new Vector3(0.55, 0.4, 1).normalize().multiplyScalar(distance));
    this.camera.near = distance / 100;
    this.camera.far = distance * 100;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.render();
  }
}
