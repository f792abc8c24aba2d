"""Message keys of the imaging package (zh_CN first, en)."""

from __future__ import annotations

from .. import messages

messages.register({
    # crop
    "crop.no_face": ("未检测到人脸，无法裁剪", "No face found: the photo cannot be cropped"),
    "crop.no_crown": ("无法确定头顶位置", "The top of the head could not be located"),
    "crop.edge_top": ("头顶离照片上边缘太近（缺 {missing_px:.0f} 像素），无法满足“{rule}”",
                      "The head is too close to the top edge ({missing_px:.0f} px missing) to meet “{rule}”"),
    "crop.edge_bottom": ("下巴/肩部离照片下边缘太近（缺 {missing_px:.0f} 像素），无法满足“{rule}”",
                      "The chin/shoulders are too close to the bottom edge ({missing_px:.0f} px missing) to meet “{rule}”"),
    "crop.edge_left": ("人像离照片左边缘太近（缺 {missing_px:.0f} 像素），无法满足“{rule}”",
                      "The person is too close to the left edge ({missing_px:.0f} px missing) to meet “{rule}”"),
    "crop.edge_right": ("人像离照片右边缘太近（缺 {missing_px:.0f} 像素），无法满足“{rule}”",
                      "The person is too close to the right edge ({missing_px:.0f} px missing) to meet “{rule}”"),
    "crop.conflict": ("规格要求相互冲突，无法同时满足“{rule}”（测得 {measured}，要求 {limit}）",
                      "The face proportions cannot meet “{rule}” together with the other rules (got {measured}, need {limit})"),
    "crop.low_resolution": ("像素不足：人脸需放大 {factor:.1f} 倍，请靠近相机或使用更高分辨率",
                            "Too few pixels: the face would be enlarged {factor:.1f}×; move closer or use a higher resolution"),
    "crop.extended_bottom": ("照片下边缘处衣服被延伸了 {percent:.0f}%（原图肩部被截断），请核对",
                             "The clothing was continued {percent:.0f}% past the bottom edge (the shoulders were cut "
                             "off in the original); please check"),
    "crop.upscaled": ("人脸放大了 {factor:.1f} 倍，清晰度可能不足", "The face was enlarged {factor:.1f}×; sharpness may suffer"),
    "rule.face_width": ("脸宽", "face width"),
    "rule.head_height": ("头部高度（下巴到头顶）", "head height (chin to crown)"),
    "rule.crown_y": ("头顶留白", "space above the head"),
    "rule.chin_margin": ("下巴到下边缘距离", "chin to bottom edge"),
    "rule.eye_y": ("眼睛位置（高度）", "eye line height"),
    "rule.eye_x": ("两眼中点水平位置", "horizontal eye centre"),
    "rule.inter_eye": ("瞳距", "distance between the eyes"),
    # matte / background
    "matte.busy_background": ("背景杂乱（平整度 {plainness:.1f}），抠图边缘可能不精确；建议使用纯色背景布重拍",
                              "Busy background (plainness {plainness:.1f}): the cut-out edge may be imprecise; "
                              "a plain backdrop is recommended"),
    "matte.no_segmentation": ("人像分割失败", "Person segmentation failed"),
    # lighting
    "light.white_balance": ("白平衡校正", "white balance corrected"),
    "light.exposure": ("曝光校正", "exposure corrected"),
    "light.shadow": ("减轻面部左右明暗不均", "left/right face shadow softened"),
    "light.glare": ("减轻面部反光", "facial glare reduced"),
    "bg.replaced": ("背景替换为{colour_zh}", "background replaced with {colour_en}"),
    "crop.straightened": ("已扶正头部倾斜 {angle:.1f}°", "head tilt of {angle:.1f}° straightened"),
    "crop.cropped": ("已按规格裁剪缩放", "cropped and scaled to the spec"),
    # encoder
    "file.too_small": ("即使最高质量 {quality} 文件也只有 {kb:.1f} KB，低于要求的 {kb_min:g} KB（不会填充无效数据）",
                       "Even at the highest quality {quality} the file is only {kb:.1f} KB, below the required "
                       "{kb_min:g} KB (no filler bytes are added)"),
    "file.too_large": ("即使最低质量 {quality} 文件仍有 {kb:.1f} KB，超过上限 {kb_max:g} KB",
                       "Even at the lowest quality {quality} the file is {kb:.1f} KB, above the limit {kb_max:g} KB"),
    "file.band_gap": ("无法把文件大小调到 {kb_min:g}–{kb_max:g} KB 之间", "The file size cannot be brought inside {kb_min:g}–{kb_max:g} KB"),
    # verification
    "verify.size": ("输出尺寸 {got} 与规格 {want} 不符", "Output size {got} does not match the spec {want}"),
    "verify.dpi": ("输出 DPI {got} 与规格 {want} 不符", "Output DPI {got} does not match the spec {want}"),
    "verify.geometry": ("复测“{rule}”为 {measured}，不在 {limit} 内", "Re-measured {rule} is {measured}, outside {limit}"),
    "verify.kb": ("文件大小 {kb:.1f} KB 不在 {kb_min}–{kb_max} KB 之内", "File size {kb:.1f} KB is outside {kb_min}–{kb_max} KB"),
    "verify.background": ("背景颜色不符（偏差 {diff:.0f}）", "Background colour off by {diff:.0f}"),
    "verify.no_face": ("输出照片中检测不到人脸", "No face found in the output photo"),
    "verify.check_failed": ("输出照片未通过检查：{check}", "Output photo fails the check: {check}"),
    "process.retake": ("需要重拍：{reasons}", "Retake needed: {reasons}"),
    "process.not_ok": ("照片未达到规格要求：{reasons}", "The photo does not meet the spec: {reasons}"),
    "process.ok": ("照片符合规格：{path}", "The photo meets the spec: {path}"),
    "sheet.unknown": ("未知的冲印版式：{sheet}（可用：{choices}）", "Unknown print sheet: {sheet} (choose from {choices})"),
    "sheet.too_big": ("照片 {w}×{h} mm 放不进 {sheet} 版面", "A {w}×{h} mm photo does not fit on the {sheet} sheet"),
    "sheet.layout_bad": ("混排版式“{text}”无法识别（“{part}”）；写法如 one_inch:4,two_inch:2",
                         "Cannot read the sheet layout \"{text}\" (\"{part}\"); write e.g. one_inch:4,two_inch:2"),
    "sheet.layout_spec_missing": ("混排版式中的规格 {spec} 不在要处理的规格（{specs}）之中",
                                  "The sheet layout's spec {spec} is not among the specs processed ({specs})"),
    "sheet.layout_too_many": ("{what} 放不进一张 {sheet} 版面", "{what} do not fit on one {sheet} sheet"),
    "sheet.bad_dpi": ("打印分辨率 {dpi} 无效（100–1200）", "Invalid printer resolution {dpi} (100–1200)"),
    "bg.gradient": ("渐变背景仅适合非证件用途，证件照请用纯色背景", "A gradient background is for non-official use only; ID photos need a plain colour"),
    "bg.unknown": ("未知的背景颜色：{value}（可用 white、blue、red、light_grey、light_blue 或 #RRGGBB）",
                   "Unknown background colour: {value} (use white, blue, red, light_grey, light_blue or #RRGGBB)"),
    "export.failed": ("写出文件失败：{error}", "Writing the output files failed: {error}"),
})
