import type { Runtime } from '../../adapters/runtime.ts';
import { TeacherNotConfiguredError } from '../../core/dreamgym/teacher/errors.ts';
import type { ChatModel } from '../../core/llm/chat-model.ts';

/** The teacher role's chat model, or TeacherNotConfiguredError naming REVERIE_TEACHER_BASE_URL. */
export function requireTeacher(runtime: Runtime): ChatModel {
  const teacher = runtime.chat('teacher');
  if (!teacher) throw new TeacherNotConfiguredError();
  return teacher;
}
